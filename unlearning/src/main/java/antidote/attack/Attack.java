package antidote.attack;

import java.util.List;

/** A backdoor attack as the registry builds it: one or more backdoors, and which sample receives which. */
public interface Attack {
    /** The registry name, e.g. {@code "badnets"}. */
    String name();

    /** Every backdoor this attack plants, in a fixed order; a single-trigger attack is its own only backdoor. */
    List<Backdoor> backdoors();

    /** The backdoor that sample {@code sampleIndex} receives when it is poisoned (training) or triggered (test). */
    Backdoor backdoorFor(int sampleIndex);
}
