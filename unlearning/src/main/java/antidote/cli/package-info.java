/** The antidote command line (picocli): data, train, evaluate, defend, reproduce, bench. */
package antidote.cli;
