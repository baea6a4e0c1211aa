/** The runs behind the commands: training a poisoned model and running a defense, with their reports. */
package antidote.pipeline;
