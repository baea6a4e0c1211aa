/** The fine-tuning baseline defense. */
package antidote.defense.ft;
