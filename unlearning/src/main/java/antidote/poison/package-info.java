/** Poisoned datasets, triggered test sets, training of poisoned models and their evaluation. */
package antidote.poison;
