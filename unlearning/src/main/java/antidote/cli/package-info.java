/** The antidote command line (picocli): data, train, evaluate, defend. */
package antidote.cli;
