/** The antidote command line (picocli): data, train, evaluate, defend, reproduce. */
package antidote.cli;
