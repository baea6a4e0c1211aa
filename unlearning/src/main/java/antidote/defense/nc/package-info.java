/** Neural Cleanse: per-class trigger search, MAD outlier detection and unlearning of the flagged triggers. */
package antidote.defense.nc;
