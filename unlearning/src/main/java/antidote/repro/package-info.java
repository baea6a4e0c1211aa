/** The bundled reproduction: the attack × defense grid, paper-style tables and plots. */
package antidote.repro;
