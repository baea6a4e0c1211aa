/** The naive universal-perturbation unlearning baseline (the I-BAU paper's Figure 1). */
package antidote.defense.naive;
