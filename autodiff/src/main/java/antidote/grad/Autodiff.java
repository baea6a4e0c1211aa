package antidote.grad;

import antidote.op.Context;
import antidote.tensor.ShapeException;
import antidote.tensor.Tensor;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Reverse-mode differentiation over the graph that tensors carry. Gradients are returned, never stored
 * on tensors. With {@code createGraph} the backward pass is itself recorded, so its results can be
 * differentiated again: that is how Hessian-vector products are formed.
 */
public final class Autodiff {
    private Autodiff() {
    }

    /** Gradients of a scalar {@code output} with respect to {@code targets}, not differentiable further. */
    public static List<Tensor> grad(Tensor output, List<Tensor> targets) {
        return grad(output, targets, null, false);
    }

    /**
     * As {@link #grad(Tensor, List, Tensor, boolean, boolean)} with {@code retainGraph = createGraph}, the default
     * of PyTorch's {@code torch.autograd.grad}.
     */
    public static List<Tensor> grad(Tensor output, List<Tensor> targets, Tensor seed, boolean createGraph) {
        return grad(output, targets, seed, createGraph, createGraph);
    }

    /**
     * The vector-Jacobian product seedᵀ·∂output/∂target for each target, in target order. A target that
     * the output does not depend on gets zeros. Only gradients on a path to a target are computed, each node's
     * rule once, for all its inputs on such a path.
     *
     * @param seed        the cotangent, shaped like {@code output}; null means 1 for a one-element output
     * @param createGraph record the backward pass so the results can be differentiated again
     * @param retainGraph keep the graph for another backward pass; without it each node that this pass
     *                    differentiates drops its inputs after its rule has run (activations are freed as the
     *                    pass goes), and a later pass through it fails with a message saying so
     */
    public static List<Tensor> grad(Tensor output, List<Tensor> targets, Tensor seed, boolean createGraph,
                                    boolean retainGraph) {
        if (seed == null) {
            if (output.size() != 1) {
                throw new ShapeException("grad: output of shape " + output.shape()
                        + " is not a scalar; pass a seed of the same shape (a vector-Jacobian product)");
            }
            seed = output.constant(1, output.shape());
        } else if (!seed.shape().equals(output.shape())) {
            throw new ShapeException("grad: seed shape " + seed.shape() + " differs from output shape "
                    + output.shape());
        }
        Set<Tensor> targetSet = Collections.newSetFromMap(new IdentityHashMap<>());
        targetSet.addAll(targets);
        List<Tensor> order = new ArrayList<>();
        List<boolean[]> needs = new ArrayList<>();
        sortLeadingToTargets(output, targetSet, order, needs);

        // Each entry leaves this map when its tensor is reached, so no gradient outlives its use.
        Map<Tensor, Tensor> grads = new IdentityHashMap<>();
        Map<Tensor, Tensor> targetGrads = new IdentityHashMap<>();
        if (!order.isEmpty() && order.get(order.size() - 1) == output) {
            grads.put(output, seed);
        }
        try (GradMode.Scope mode = createGraph ? GradMode.enabled() : GradMode.disabled()) {
            for (int k = order.size() - 1; k >= 0; k--) {
                Tensor t = order.set(k, null);
                Tensor g = grads.remove(t);
                if (g == null) {
                    continue;
                }
                if (targetSet.contains(t)) {
                    targetGrads.put(t, g);
                }
                Node node = t.node();
                boolean[] needed = needs.get(k);
                if (node == null || needed == null) {
                    continue;
                }
                if (createGraph && !node.op().twiceDifferentiable()) {
                    throw new NotTwiceDifferentiableException(node.op().name());
                }
                Tensor[] inputs = node.inputs();
                Tensor[] contributions = node.op().vjp(new Context(inputs, t), g, needed);
                for (int i = 0; i < inputs.length; i++) {
                    if (needed[i] && contributions[i] != null) {
                        checkShape(node, i, inputs[i], contributions[i]);
                        grads.merge(inputs[i], contributions[i], Tensor::add);
                    }
                }
                if (!retainGraph) {
                    node.release();
                }
            }
        }
        List<Tensor> result = new ArrayList<>(targets.size());
        for (Tensor target : targets) {
            Tensor g = targetGrads.get(target);
            result.add(g != null ? g : target.zerosLike());
        }
        return result;
    }

    private static void checkShape(Node node, int i, Tensor input, Tensor gradient) {
        if (!gradient.shape().equals(input.shape())) {
            throw new IllegalStateException("grad: the rule of op '" + node.op().name() + "' returned a gradient of "
                    + "shape " + gradient.shape() + " for input " + i + " of shape " + input.shape());
        }
    }

    /** Vector-Jacobian product vᵀ·∂output/∂target, not differentiable further. */
    public static List<Tensor> vjp(Tensor output, List<Tensor> targets, Tensor cotangent) {
        return grad(output, targets, cotangent, false);
    }

    /**
     * The Hessian-vector product H·v of the scalar function f at x: the gradient of ⟨∇f(x), v⟩. The Hessian
     * is never formed.
     */
    public static Tensor hvp(Function<Tensor, Tensor> f, Tensor x, Tensor v) {
        Tensor leaf = x.detach().withGrad();
        // The second pass goes back through the first one's graph, so that graph is retained until then.
        Tensor gradient = grad(f.apply(leaf), List.of(leaf), null, true, true).get(0);
        return grad(gradient.mul(v.detach()).sum(), List.of(leaf), null, false).get(0);
    }

    /**
     * The mixed second-order product ∂/∂θ ⟨∂f/∂δ, v⟩ = (∂²f/∂θ∂δ)·v for each θ in {@code thetas}, where
     * {@code f} is a scalar already computed from leaves δ and θ that require gradients. This is the
     * H_θδ·v term of I-BAU's implicit hypergradient.
     */
    public static List<Tensor> mixedProduct(Tensor f, Tensor delta, List<Tensor> thetas, Tensor v) {
        Tensor gradDelta = grad(f, List.of(delta), null, true, true).get(0);
        return grad(gradDelta.mul(v.detach()).sum(), thetas, null, false);
    }

    /**
     * Depth-first post-order of the tensors that lie on a path from {@code output} to a target, computed
     * iteratively (graphs of deep nets would overflow a recursive walk), with, for each one that has a node, the
     * mask of its inputs on such a path (null when none is). The walk's own maps die with this call, so they
     * hold no tensor during the backward pass.
     */
    private static void sortLeadingToTargets(Tensor output, Set<Tensor> targets, List<Tensor> order,
                                             List<boolean[]> needs) {
        Map<Tensor, Boolean> leads = new IdentityHashMap<>();
        ArrayDeque<Tensor> stack = new ArrayDeque<>();
        Map<Tensor, Integer> nextInput = new IdentityHashMap<>();
        stack.push(output);
        nextInput.put(output, 0);
        while (!stack.isEmpty()) {
            Tensor t = stack.peek();
            Node node = t.node();
            int i = nextInput.get(t);
            if (node != null && i < node.inputs().length) {
                nextInput.put(t, i + 1);
                Tensor input = node.inputs()[i];
                if (input.requiresGrad() && !nextInput.containsKey(input)) {
                    nextInput.put(input, 0);
                    stack.push(input);
                }
                continue;
            }
            stack.pop();
            boolean reaches = targets.contains(t);
            boolean[] needed = null;
            if (node != null) {
                Tensor[] inputs = node.inputs();
                for (int j = 0; j < inputs.length; j++) {
                    if (leads.getOrDefault(inputs[j], false)) {
                        needed = needed != null ? needed : new boolean[inputs.length];
                        needed[j] = true;
                        reaches = true;
                    }
                }
            }
            leads.put(t, reaches);
            if (reaches) {
                order.add(t);
                needs.add(needed);
            }
        }
    }
}
