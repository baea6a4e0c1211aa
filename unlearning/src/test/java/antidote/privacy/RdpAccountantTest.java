package antidote.privacy;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The accountant against published values and against golden values computed independently.
 *
 * <p>Published: TensorFlow's RDP accountant tests, {@code research/differential_privacy/privacy_accountant/python/
 * rdp_accountant_test.py} in tensorflow/models (commit 004dd3613c22179e806329ba5e9ef7a7ca23f8be), the integer-order
 * cases of {@code test_compute_rdp}, {@code test_get_privacy_spent} and {@code test_compute_privacy_loss} (whose
 * best order, 8, is an integer, so the integer orders of its list give the same ε). That code converts with the
 * classic ε = RDP + log(1/δ)/(α−1), as this accountant does.
 *
 * <p>Golden: {@code rdp_golden.py} next to this test evaluates the same formula directly in 60-digit decimals.
 */
class RdpAccountantTest {

    @Test
    void singleOrderValuesOfTensorFlowsTests() {
        // compute_rdp(q, sigma, steps, orders) = steps · RDP(α)
        assertEquals(0.07737, 10 * RdpAccountant.rdp(0.1, 2, 5), 5e-6);
        assertEquals(0.00218075, 50 * RdpAccountant.rdp(0.01, 2.5, 5), 5e-6);
        assertEquals(0.023846, 50 * RdpAccountant.rdp(0.01, 2.5, 50), 5e-6);
        assertEquals(167.416307, 50 * RdpAccountant.rdp(0.01, 2.5, 100), 5e-6);
    }

    @Test
    void privacySpentOfTensorFlowsTests() {
        int[] orders = java.util.stream.IntStream.rangeClosed(2, 32).toArray();
        RdpAccountant.Spent spent = RdpAccountant.spent(0.01, 4, 10000, 1e-5, orders);
        assertEquals(1.258575, spent.epsilon(), 5e-6);
        assertEquals(20, spent.order());

        // Two mechanisms composed: RDP adds order by order.
        int[] integerOrders = {2, 3, 4, 5, 6, 7, 8, 10, 12, 14, 16, 20, 24, 28, 32, 64, 256};
        double[] rdp = new double[integerOrders.length];
        for (int k = 0; k < integerOrders.length; k++) {
            rdp[k] = 10000 * RdpAccountant.rdp(0.01, 4, integerOrders[k]) + 100 * RdpAccountant.rdp(0.1, 2,
                    integerOrders[k]);
        }
        RdpAccountant.Spent composed = RdpAccountant.epsilon(rdp, integerOrders, 1e-5);
        assertEquals(3.276237, composed.epsilon(), 5e-6);
        assertEquals(8, composed.order());
    }

    @Test
    void goldenValuesOfTheIndependentScript() {
        // Abadi et al.'s MNIST setting: ε ≈ 3.0 at δ = 1e-5.
        assertSpent(3.006643285899, 9, RdpAccountant.spent(256 / 60000.0, 1.1, 60 * 234, 1e-5));
        assertSpent(1.055962174647, 18, RdpAccountant.spent(128 / 10000.0, 1.5, 5 * 78, 1e-5));
        assertSpent(6.433858876520, 4, RdpAccountant.spent(0.01, 0.7, 1000, 1e-5));
    }

    @Test
    void edgeCases() {
        assertEquals(0, RdpAccountant.rdp(0, 1, 4));
        assertEquals(4 / (2 * 1.5 * 1.5), RdpAccountant.rdp(1, 1.5, 4), 1e-12, "no sampling: the Gaussian mechanism");
        assertEquals(Double.POSITIVE_INFINITY, RdpAccountant.rdp(0.1, 0, 4));
        assertThrows(IllegalArgumentException.class, () -> RdpAccountant.rdp(0.1, 1, 1));
    }

    private static void assertSpent(double epsilon, int order, RdpAccountant.Spent spent) {
        assertEquals(epsilon, spent.epsilon(), 1e-9);
        assertEquals(order, spent.order());
    }
}
