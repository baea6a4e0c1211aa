package antidote.data;

import antidote.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

/** The only tests that create tensors: they need a backend for the default device. */
class BatchTensorTest {
    @Test
    void batchImagesBecomeAnNchwFloatTensor() {
        Dataset data = Fixtures.randomDataset(10, 3, 4, 5, 2, 1);
        try (Epoch epoch = Loader.over(data).batchSize(4).seed(3).build().epoch(0)) {
            Batch batch = epoch.next();
            Tensor images = batch.images();
            assertArrayEquals(new int[] {4, 3, 4, 5}, images.shape().dims());
            assertArrayEquals(batch.pixels(), images.toFloatArray());
            assertSame(images, batch.images(), "created once");
        }
    }
}
