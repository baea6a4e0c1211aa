package antidote.poison;

import antidote.nn.Module;
import antidote.nn.optim.Adam;
import antidote.nn.optim.CosineAnnealing;
import antidote.nn.optim.Optimizer;
import antidote.nn.optim.Sgd;

/**
 * How a model is trained. SmallVgg: Adam, lr 1e-3, batch 128 (the I-BAU reference code). PreActResNet-18:
 * SGD lr 0.01, momentum 0.9, weight decay 5e-4, cosine annealing over the epochs, batch 128 (BackdoorBench).
 */
public record TrainingRecipe(String optimizer, double lr, int batchSize) {

    public static TrainingRecipe forModel(String model) {
        return model.equals(Models.PREACT_RESNET18) ? new TrainingRecipe("sgd+cosine", 0.01, 128)
                : new TrainingRecipe("adam", 1e-3, 128);
    }

    /** The optimizer over the model's parameters. */
    public Optimizer optimizer(Module model) {
        return optimizer.equals("adam") ? new Adam(model.parameters(), lr)
                : new Sgd(model.parameters(), lr, 0.9, 0, 5e-4, false);
    }

    /** The per-epoch schedule, or null when the learning rate is constant. */
    public CosineAnnealing schedule(Optimizer opt, int epochs) {
        return optimizer.equals("adam") ? null : new CosineAnnealing(opt, epochs, 0);
    }
}
