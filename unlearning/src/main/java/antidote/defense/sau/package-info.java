/** SAU: shared adversarial unlearning, with its shared PGD and unlearning loss terms. */
package antidote.defense.sau;
