package antidote.attack;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/** Attacks by name, built from options: the built-ins of {@link #standard()} and those added by {@link #with}. */
public final class AttackRegistry {
    private final Map<String, Function<AttackOptions, ? extends Attack>> factories;

    private AttackRegistry(Map<String, Function<AttackOptions, ? extends Attack>> factories) {
        this.factories = Collections.unmodifiableMap(factories);
    }

    /** The built-ins: badnets, blend, trojan-sq, trojan-wm, l0, l2, smooth, sig, wanet, all-to-all, multi-trigger,
     * sr, ht, iab. */
    public static AttackRegistry standard() {
        Map<String, Function<AttackOptions, ? extends Attack>> builtIns = new LinkedHashMap<>();
        builtIns.put(BadNets.NAME, BadNets::fromOptions);
        builtIns.put(Blend.NAME, Blend::fromOptions);
        builtIns.put(TrojanSquare.NAME, TrojanSquare::fromOptions);
        builtIns.put(TrojanWatermark.NAME, TrojanWatermark::fromOptions);
        builtIns.put(L0Trigger.NAME, L0Trigger::fromOptions);
        builtIns.put(L2Invisible.NAME, L2Invisible::fromOptions);
        builtIns.put(Smooth.NAME, Smooth::fromOptions);
        builtIns.put(Sig.NAME, Sig::fromOptions);
        builtIns.put(WaNet.NAME, WaNet::fromOptions);
        builtIns.put(AllToAll.NAME, AllToAll::fromOptions);
        builtIns.put(MultiTrigger.NAME, MultiTrigger::fromOptions);
        builtIns.put(SemanticReplacement.NAME, SemanticReplacement::fromOptions);
        builtIns.put(HiddenTrigger.NAME, HiddenTrigger::fromOptions);
        builtIns.put(InputAware.NAME, InputAware::fromOptions);
        return new AttackRegistry(builtIns);
    }

    /** This registry plus the attack {@code name}, built by {@code factory} (e.g. {@code MyAttack::fromOptions}). */
    public AttackRegistry with(String name, Function<AttackOptions, ? extends Attack> factory) {
        if (factories.containsKey(name)) {
            throw new IllegalArgumentException("an attack named '" + name
                    + "' is already registered; pick another name");
        }
        Map<String, Function<AttackOptions, ? extends Attack>> more = new LinkedHashMap<>(factories);
        more.put(name, factory);
        return new AttackRegistry(more);
    }

    /** The registered names, built-ins first, in registration order. */
    public Set<String> names() {
        return factories.keySet();
    }

    /**
     * The attack {@code name} built from {@code options}; rejects unknown names and options the attack never read,
     * except {@code seed}, which every attack accepts (unseeded attacks ignore it) so a run can pass one seed to all.
     */
    public Attack create(String name, Map<String, String> options) {
        Function<AttackOptions, ? extends Attack> factory = factories.get(name);
        if (factory == null) {
            throw new IllegalArgumentException("unknown attack '" + name + "'; known attacks: "
                    + String.join(", ", factories.keySet()));
        }
        AttackOptions read = new AttackOptions(name, options);
        Attack attack = factory.apply(read);
        Set<String> unread = read.unread();
        unread.remove(AttackOptions.SEED);
        if (!unread.isEmpty()) {
            throw new IllegalArgumentException("attack " + name + " does not use option(s) " + unread
                    + "; it reads " + read.read());
        }
        return attack;
    }

    /** The attack {@code name} with every option at its default. */
    public Attack create(String name) {
        return create(name, Map.of());
    }
}
