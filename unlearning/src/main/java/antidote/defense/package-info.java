/** The defense interface shared by every backdoor defense; one subpackage per defense. */
package antidote.defense;
