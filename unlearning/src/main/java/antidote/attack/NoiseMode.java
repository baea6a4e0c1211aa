package antidote.attack;

/**
 * Training images a backdoor adds with their true labels so the model learns the exact trigger, not its neighbours
 * (WaNet's noise mode): the poisoner applies {@code trigger} to {@code ratio} times as many images as it poisons.
 */
public record NoiseMode(Trigger trigger, double ratio) {
    /** Checks that the trigger is present and the ratio is a finite number >= 0. */
    public NoiseMode {
        if (trigger == null) {
            throw new IllegalArgumentException("noise mode needs a trigger");
        }
        if (!(ratio >= 0 && ratio <= Double.MAX_VALUE)) {
            throw new IllegalArgumentException("noise-mode ratio " + ratio
                    + " is not a finite number >= 0; use e.g. 2 (two noise images per poisoned image)");
        }
    }
}
