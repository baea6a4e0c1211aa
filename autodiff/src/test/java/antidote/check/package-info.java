/**
 * Test infrastructure published in the test-jar: the reference backend (the executable specification of
 * every kernel), gradient checks against finite differences, and the gradient-spec table.
 */
package antidote.check;
