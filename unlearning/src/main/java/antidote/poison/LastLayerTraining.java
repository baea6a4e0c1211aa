package antidote.poison;

import antidote.data.Batch;
import antidote.grad.Autodiff;
import antidote.nn.Module;
import antidote.nn.Parameter;
import antidote.nn.optim.Optimizer;
import antidote.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The hidden trigger's fine-tuning (Saha et al. 2020 fine-tune only the last layer of the clean model): the features
 * stay as they are (evaluation mode: batch-norm statistics and dropout frozen, no update) and only the classifier layer
 * learns the poisoned data, so the poisons' features keep matching those of the patched source images. The frozen
 * parameters get zero gradients, which leaves them unchanged under Adam (the recipe of the SmallVgg the attack needs).
 */
final class LastLayerTraining implements TrainingStep {
    /** The state-dict prefix of SmallVgg's last layer. */
    static final String CLASSIFIER = "classifier.";

    @Override
    public Tensor loss(Module model, Batch batch) {
        model.eval();
        return model.forward(batch.images()).crossEntropy(batch.labels());
    }

    @Override
    public void update(Tensor loss, Module model, Optimizer optimizer) {
        Map<String, Parameter> parameters = model.namedParameters();
        List<Tensor> trained = new ArrayList<>();
        parameters.forEach((name, p) -> {
            if (name.startsWith(CLASSIFIER)) {
                trained.add(p.get());
            }
        });
        if (trained.isEmpty()) {
            throw new IllegalStateException("the model has no '" + CLASSIFIER + "*' parameters to fine-tune");
        }
        List<Tensor> grads = Autodiff.grad(loss, trained);
        List<Tensor> all = new ArrayList<>();
        int next = 0;
        for (Map.Entry<String, Parameter> entry : parameters.entrySet()) {
            Tensor value = entry.getValue().get();
            all.add(entry.getKey().startsWith(CLASSIFIER) ? grads.get(next++) : value.constant(0, value.shape()));
        }
        optimizer.step(all);
    }
}
