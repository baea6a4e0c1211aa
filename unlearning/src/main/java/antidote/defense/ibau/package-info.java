/** I-BAU: implicit backdoor adversarial unlearning, with its implicit hypergradient. */
package antidote.defense.ibau;
