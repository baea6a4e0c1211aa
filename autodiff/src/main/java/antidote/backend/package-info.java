/** The narrow kernel interface that devices implement, and their discovery through ServiceLoader. */
package antidote.backend;
