/** TABOR: Neural Cleanse's trigger search with TABOR's regularisers, false-alarm pruning, and unlearning. */
package antidote.defense.tabor;
