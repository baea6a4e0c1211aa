package antidote.attack;

import java.util.List;
import java.util.Optional;

/**
 * One trigger with the label it teaches the model. To add an attack, write one class implementing {@link #name},
 * {@link #apply} and {@link #poisonedLabel}, and register it with {@link AttackRegistry#with}.
 */
public interface Backdoor extends Trigger, Attack {
    /** The label a backdoored model gives a triggered image of class {@code trueLabel}; checks both labels. */
    int poisonedLabel(int trueLabel, int numClasses);

    /**
     * True when poisoned training images keep their true labels (SIG): then only images whose true label already is
     * their poisoned label are poisoned.
     */
    default boolean cleanLabel() {
        return false;
    }

    /** Whether a training image of class {@code trueLabel} may be chosen for poisoning. */
    default boolean poisons(int trueLabel, int numClasses) {
        boolean relabelled = poisonedLabel(trueLabel, numClasses) != trueLabel;
        return cleanLabel() ? !relabelled : relabelled;
    }

    /** The label a poisoned training image is stored with: its own for clean-label attacks, else the poisoned label. */
    default int trainingLabel(int trueLabel, int numClasses) {
        int poisoned = poisonedLabel(trueLabel, numClasses); // also checks both labels for clean-label attacks
        return cleanLabel() ? trueLabel : poisoned;
    }

    /** Extra training images this backdoor mixes in with their true labels (WaNet's noise mode); empty by default. */
    default Optional<NoiseMode> noiseMode() {
        return Optional.empty();
    }

    @Override
    default List<Backdoor> backdoors() {
        return List.of(this);
    }

    @Override
    default Backdoor backdoorFor(int sampleIndex) {
        return this;
    }
}
