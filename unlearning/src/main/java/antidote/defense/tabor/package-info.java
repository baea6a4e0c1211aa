/** TABOR: Neural Cleanse's trigger search with TABOR's regularisers, its trigger quality metric, and unlearning. */
package antidote.defense.tabor;
