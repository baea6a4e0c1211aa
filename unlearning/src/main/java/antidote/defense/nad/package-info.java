/** The NAD baseline defense: neural attention distillation from a fine-tuned teacher to the poisoned student. */
package antidote.defense.nad;
