/** DeepInspect: a conditional generator of additive triggers, MAD detection on their size, and unlearning. */
package antidote.defense.deepinspect;
