package antidote.nn;

import antidote.core.DType;
import antidote.core.Device;
import antidote.grad.GradMode;
import antidote.tensor.Shape;
import antidote.tensor.Tensor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A network component with PyTorch's bookkeeping: named parameters, buffers and child modules kept in
 * registration order, a train/eval flag, and a state dict whose keys are the dotted paths PyTorch would
 * use ({@code features.0.weight}, {@code layer1.0.bn1.running_mean}). State-dict order is PyTorch's: a
 * module's own parameters, then its own buffers, then each child's entries in registration order.
 */
public abstract class Module {
    private final Map<String, Parameter> parameters = new LinkedHashMap<>();
    private final Map<String, Buffer> buffers = new LinkedHashMap<>();
    private final Map<String, Module> children = new LinkedHashMap<>();
    private boolean training = true;

    /** Applies the module to a batch. */
    public abstract Tensor forward(Tensor x);

    // ------------------------------------------------------------------ registration

    /** Adds a trainable tensor under {@code name}; returns its holder. */
    protected final Parameter registerParameter(String name, Tensor initial) {
        checkNewName(name);
        Parameter p = new Parameter(initial);
        parameters.put(name, p);
        return p;
    }

    /** Adds non-trainable state under {@code name}; {@code integral} marks a counter saved as I64. */
    protected final Buffer registerBuffer(String name, Tensor initial, boolean integral) {
        checkNewName(name);
        Buffer b = new Buffer(initial, integral);
        buffers.put(name, b);
        return b;
    }

    /** Adds a child module under {@code name} (its entries get the prefix {@code name.}); returns it. */
    protected final <M extends Module> M registerModule(String name, M module) {
        checkNewName(name);
        children.put(name, module);
        return module;
    }

    private void checkNewName(String name) {
        if (name.isEmpty() || name.contains(".")) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": name '" + name
                    + "' must be non-empty and contain no '.' (dots separate state-dict path segments)");
        }
        if (parameters.containsKey(name) || buffers.containsKey(name) || children.containsKey(name)) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": name '" + name
                    + "' is already registered; every parameter, buffer and child needs its own name");
        }
    }

    // ------------------------------------------------------------------ mode

    /** Sets training mode ({@code true}) or evaluation mode on this module and every descendant. */
    public Module train(boolean on) {
        for (Module m : modules()) {
            m.training = on;
        }
        return this;
    }

    /** Training mode: batch statistics in BatchNorm, active dropout. */
    public Module train() {
        return train(true);
    }

    /** Evaluation mode: running statistics in BatchNorm, dropout is the identity. */
    public Module eval() {
        return train(false);
    }

    public boolean isTraining() {
        return training;
    }

    // ------------------------------------------------------------------ traversal

    /** This module and all descendants, depth first in registration order (PyTorch's {@code modules()}). */
    public final List<Module> modules() {
        List<Module> out = new ArrayList<>();
        out.add(this);
        for (Module child : children.values()) {
            out.addAll(child.modules());
        }
        return out;
    }

    /** Every parameter under its dotted path, in state-dict order. */
    public final Map<String, Parameter> namedParameters() {
        Map<String, Parameter> out = new LinkedHashMap<>();
        collect("", out, new LinkedHashMap<>());
        return out;
    }

    /** Every buffer under its dotted path, in state-dict order. */
    public final Map<String, Buffer> namedBuffers() {
        Map<String, Buffer> out = new LinkedHashMap<>();
        collect("", new LinkedHashMap<>(), out);
        return out;
    }

    /** The parameters in state-dict order: the order optimizers and gradient lists follow. */
    public final List<Parameter> parameters() {
        return List.copyOf(namedParameters().values());
    }

    /**
     * The tensors the parameters hold now, in {@link #parameters()} order; pass them as the targets of
     * {@code Autodiff.grad(loss, model.parameterValues())} after a forward pass.
     */
    public final List<Tensor> parameterValues() {
        return parameters().stream().map(Parameter::get).toList();
    }

    /**
     * Runs the model functionally: stores {@code values} (in {@link #parameters()} order, same shapes)
     * in the parameters, so the next {@code forward} computes with them. The usual pattern:
     * <pre>{@code
     * List<Tensor> theta = ...;                  // e.g. withGrad() leaves, or θ − η·g on a graph
     * model.setParameterValues(theta);
     * Tensor loss = model.forward(x).crossEntropy(labels);
     * List<Tensor> grads = Autodiff.grad(loss, theta);
     * }</pre>
     * Save {@code parameterValues()} first to restore the model afterwards.
     */
    public final void setParameterValues(List<Tensor> values) {
        List<Parameter> ps = parameters();
        if (values.size() != ps.size()) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ".setParameterValues: got "
                    + values.size() + " tensors for " + ps.size() + " parameters; pass one per parameters() entry");
        }
        for (int i = 0; i < ps.size(); i++) {
            ps.get(i).set(values.get(i));
        }
    }

    private void collect(String prefix, Map<String, Parameter> ps, Map<String, Buffer> bs) {
        parameters.forEach((n, p) -> ps.put(prefix + n, p));
        buffers.forEach((n, b) -> bs.put(prefix + n, b));
        children.forEach((n, c) -> c.collect(prefix + n + ".", ps, bs));
    }

    // ------------------------------------------------------------------ state dict

    /** Parameters and buffers by dotted path, in PyTorch's state-dict order (detached values). */
    public final Map<String, Tensor> stateDict() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        stateInto("", out);
        return out;
    }

    private void stateInto(String prefix, Map<String, Tensor> out) {
        parameters.forEach((n, p) -> out.put(prefix + n, p.get().detach()));
        buffers.forEach((n, b) -> out.put(prefix + n, b.get()));
        children.forEach((n, c) -> c.stateInto(prefix + n + ".", out));
    }

    private Map<String, Shape> stateShapes() {
        Map<String, Shape> out = new LinkedHashMap<>();
        stateDict().forEach((n, t) -> out.put(n, t.shape()));
        return out;
    }

    /**
     * Checks, without changing anything, that {@code shapes} has exactly this module's state-dict keys
     * with the same shapes (PyTorch's {@code strict=True}).
     *
     * @throws IllegalArgumentException listing the missing keys, unexpected keys and size mismatches (long lists
     *                                  are cut after {@link KeyList#SHOWN})
     */
    public final void checkStateShapes(Map<String, Shape> shapes) {
        Map<String, Shape> mine = stateShapes();
        Set<String> missing = new TreeSet<>(mine.keySet());
        missing.removeAll(shapes.keySet());
        Set<String> unexpected = new TreeSet<>(shapes.keySet());
        unexpected.removeAll(mine.keySet());
        List<String> mismatched = new ArrayList<>();
        mine.forEach((name, shape) -> {
            Shape given = shapes.get(name);
            if (given != null && !given.equals(shape)) {
                mismatched.add(name + ": given " + given + ", model has " + shape);
            }
        });
        List<String> problems = new ArrayList<>();
        if (!missing.isEmpty()) {
            problems.add("missing keys " + KeyList.of(missing));
        }
        if (!unexpected.isEmpty()) {
            problems.add("unexpected keys " + KeyList.of(unexpected));
        }
        if (!mismatched.isEmpty()) {
            problems.add("size mismatches " + KeyList.of(mismatched));
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("state dict does not fit " + getClass().getSimpleName() + ": "
                    + String.join("; ", problems)
                    + ". Build the model with the architecture, input shape and classes the state was saved for");
        }
    }

    /**
     * Copies {@code state} into the parameters and buffers (strict: same keys, same shapes; checked before
     * anything changes). Values are converted to each slot's current dtype and device, like PyTorch's
     * {@code copy_}. Parameters receive new leaf tensors, so take {@link #parameterValues()} as gradient
     * targets after loading, not before.
     */
    public final void loadStateDict(Map<String, Tensor> state) {
        Map<String, Shape> shapes = new LinkedHashMap<>();
        state.forEach((n, t) -> shapes.put(n, t.shape()));
        checkStateShapes(shapes);
        try (GradMode.Scope off = GradMode.disabled()) {
            namedParameters().forEach((n, p) -> p.set(like(state.get(n), p.get()).withGrad()));
            namedBuffers().forEach((n, b) -> b.set(like(state.get(n), b.get())));
        }
    }

    private static Tensor like(Tensor value, Tensor slot) {
        return value.detach().to(slot.device()).to(slot.dtype()).detach();
    }

    // ------------------------------------------------------------------ placement

    /** Moves every parameter and buffer to {@code device}; returns this module. */
    public final Module to(Device device) {
        try (GradMode.Scope off = GradMode.disabled()) {
            namedParameters().values().forEach(p -> p.set(p.get().detach().to(device).withGrad()));
            namedBuffers().values().forEach(b -> b.set(b.get().to(device)));
        }
        return this;
    }

    /** Converts every parameter and buffer to {@code dtype}; returns this module. */
    public final Module to(DType dtype) {
        try (GradMode.Scope off = GradMode.disabled()) {
            namedParameters().values().forEach(p -> p.set(p.get().detach().to(dtype).withGrad()));
            namedBuffers().values().forEach(b -> b.set(b.get().to(dtype)));
        }
        return this;
    }
}
