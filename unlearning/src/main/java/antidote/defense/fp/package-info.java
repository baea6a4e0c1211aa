/** The Fine-Pruning baseline defense: prune the least active channels of the last convolution, then fine-tune. */
package antidote.defense.fp;
