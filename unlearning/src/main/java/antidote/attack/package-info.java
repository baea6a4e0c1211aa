/**
 * Backdoor attacks on images held as plain CHW {@code float[]} arrays with values in [0,1].
 *
 * <p>Three levels: a {@link antidote.attack.Trigger} stamps an image; a {@link antidote.attack.Backdoor} is a trigger
 * plus the label it teaches the model (implement it, one class, to add an attack); an {@link antidote.attack.Attack} is
 * one or more backdoors and says which sample receives which. {@link antidote.attack.AttackRegistry} builds the
 * built-in attacks by name from string options. Every random choice comes from an explicit seed, and every output is
 * clipped to [0,1]. Positions are 0-indexed rows and columns; the 32x32 conventions of DESIGN.md section 7 are scaled
 * to other image sizes where an attack says so. The input-aware attack ({@link antidote.attack.InputAware}) makes its
 * triggers with networks trained together with the model ({@link antidote.attack.InputAwareNetworks}), many images at
 * a time ({@link antidote.attack.BatchTrigger}).
 */
package antidote.attack;
