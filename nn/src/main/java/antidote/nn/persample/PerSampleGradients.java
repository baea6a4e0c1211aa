package antidote.nn.persample;

import antidote.grad.Autodiff;
import antidote.grad.GradMode;
import antidote.nn.Module;
import antidote.nn.Parameter;
import antidote.nn.layer.BatchNorm2d;
import antidote.tensor.Shape;
import antidote.tensor.Tensor;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One forward pass of a model whose layers report their inputs and outputs, and the per-sample gradients of
 * its parameters that follow from a loss on that pass. Usage:
 * <pre>{@code
 * PerSampleGradients pass = PerSampleGradients.forward(model, images);
 * Tensor summed = pass.logits().crossEntropy(labels).mul(n);     // a sum of per-sample terms
 * List<Tensor> perSample = pass.gradients(summed);               // [N, ...shape] per parameter
 * }</pre>
 * One backward pass gives the gradient of the summed loss with respect to every captured layer output; since the
 * loss is a sum of per-sample terms and no layer mixes samples, row n of that gradient is the gradient of sample
 * n's term alone, and each layer turns it into per-sample parameter gradients ({@link PerSampleRules}).
 */
public final class PerSampleGradients {
    private final Module model;
    private final List<PerSampleLayer> layers;
    private final LayerCapture capture;
    private final Tensor logits;
    private final int batch;

    private PerSampleGradients(Module model, List<PerSampleLayer> layers, LayerCapture capture, Tensor logits,
                               int batch) {
        this.model = model;
        this.layers = layers;
        this.capture = capture;
        this.logits = logits;
        this.batch = batch;
    }

    /**
     * Runs {@code model.forward(x)} with every layer reporting to a fresh capture. Every module that owns
     * parameters must be a {@link PerSampleLayer}; otherwise one line names it.
     */
    public static PerSampleGradients forward(Module model, Tensor x) {
        List<PerSampleLayer> layers = perSampleLayers(model);
        LayerCapture capture = new LayerCapture();
        layers.forEach(l -> l.captureInto(capture));
        try (GradMode.Scope on = GradMode.enabled()) {
            return new PerSampleGradients(model, layers, capture, model.forward(x), x.dim(0));
        } finally {
            layers.forEach(l -> l.captureInto(null));
        }
    }

    /**
     * Training mode with every batch norm on its fixed running statistics, the training mode per-sample gradients
     * need (in training mode batch norm mixes the samples of a batch). Dropout stays active: its masks are drawn
     * per element, so each sample's gradient remains its own.
     */
    public static void trainingMode(Module model) {
        model.train();
        for (Module m : model.modules()) {
            if (m instanceof BatchNorm2d) {
                m.eval();
            }
        }
    }

    /** The model's output on the batch. */
    public Tensor logits() {
        return logits;
    }

    /**
     * The gradient of each sample's term of {@code summedLoss} (a scalar that is the sum over the batch of
     * per-sample terms, computed from {@link #logits()}) for every parameter, in {@code model.parameters()} order,
     * each [N, ...parameter shape]. A parameter whose layer did not run gets zeros.
     */
    public List<Tensor> gradients(Tensor summedLoss) {
        List<PerSampleLayer> ran = new ArrayList<>();
        List<Tensor> outputs = new ArrayList<>();
        for (PerSampleLayer layer : layers) {
            LayerCapture.Seen seen = capture.of(layer);
            if (seen != null) {
                ran.add(layer);
                outputs.add(seen.output());
            }
        }
        List<Tensor> gradOutputs = Autodiff.grad(summedLoss, outputs);
        Map<Parameter, Tensor> byParameter = new IdentityHashMap<>();
        for (int i = 0; i < ran.size(); i++) {
            PerSampleLayer layer = ran.get(i);
            List<Parameter> own = ((Module) layer).parameters();
            List<Tensor> grads = layer.perSampleGradients(capture.of(layer).input(), gradOutputs.get(i));
            for (int p = 0; p < own.size(); p++) {
                byParameter.put(own.get(p), grads.get(p));
            }
        }
        List<Tensor> out = new ArrayList<>();
        for (Parameter p : model.parameters()) {
            Tensor g = byParameter.get(p);
            out.add(g != null ? g : p.get().constant(0, batchOf(p.get())));
        }
        return out;
    }

    /** The shape [N, ...shape of t]. */
    private Shape batchOf(Tensor t) {
        int[] dims = new int[t.rank() + 1];
        dims[0] = batch;
        System.arraycopy(t.shape().dims(), 0, dims, 1, t.rank());
        return Shape.of(dims);
    }

    /**
     * The layers owning the model's parameters, in parameter order; a parameter owned by a module without a
     * per-sample rule is refused in one line naming it.
     */
    private static List<PerSampleLayer> perSampleLayers(Module model) {
        Map<Parameter, Module> owner = new IdentityHashMap<>();
        for (Module m : model.modules()) {
            m.namedParameters().forEach((name, p) -> {
                if (!name.contains(".")) {
                    owner.put(p, m);
                }
            });
        }
        Set<PerSampleLayer> out = Collections.newSetFromMap(new IdentityHashMap<>());
        List<PerSampleLayer> ordered = new ArrayList<>();
        model.namedParameters().forEach((path, p) -> {
            if (!(owner.get(p) instanceof PerSampleLayer layer)) {
                throw new IllegalArgumentException("per-sample gradients: parameter '" + path + "' belongs to a "
                        + owner.get(p).getClass().getSimpleName() + ", which has no per-sample rule; only Conv2d, "
                        + "Linear and BatchNorm2d have one");
            }
            if (out.add(layer)) {
                ordered.add(layer);
            }
        });
        return ordered;
    }
}
