package antidote.attack;

/** Bilinear resampling of CHW planes: image resizing (half-pixel centres) and grid upsampling (corners aligned). */
final class Resample {
    private Resample() {
    }

    /** Resizes like OpenCV's INTER_LINEAR: output pixel o reads input position (o + 0.5) * in / out - 0.5. */
    static float[] resize(float[] chw, int channels, int inH, int inW, int outH, int outW) {
        return resample(chw, channels, inH, inW, outH, outW, false);
    }

    /** Upsamples like PyTorch's interpolate(bilinear, align_corners=True): corner pixels map to corner pixels. */
    static float[] upsampleAlignCorners(float[] chw, int channels, int inH, int inW, int outH, int outW) {
        return resample(chw, channels, inH, inW, outH, outW, true);
    }

    /** The bilinear value of plane {@code channel} at pixel position (y, x), which lies in [0,h-1] x [0,w-1]. */
    static float sample(float[] chw, int channel, int h, int w, float y, float x) {
        int y0 = (int) y;
        int x0 = (int) x;
        int y1 = Math.min(y0 + 1, h - 1);
        int x1 = Math.min(x0 + 1, w - 1);
        float fy = y - y0;
        float fx = x - x0;
        int base = channel * h * w;
        float top = chw[base + y0 * w + x0] * (1f - fx) + chw[base + y0 * w + x1] * fx;
        float bottom = chw[base + y1 * w + x0] * (1f - fx) + chw[base + y1 * w + x1] * fx;
        return top * (1f - fy) + bottom * fy;
    }

    private static float[] resample(float[] chw, int channels, int inH, int inW, int outH, int outW,
            boolean alignCorners) {
        float[] out = new float[channels * outH * outW];
        for (int c = 0; c < channels; c++) {
            for (int oy = 0; oy < outH; oy++) {
                float y = source(oy, inH, outH, alignCorners);
                for (int ox = 0; ox < outW; ox++) {
                    float x = source(ox, inW, outW, alignCorners);
                    out[(c * outH + oy) * outW + ox] = sample(chw, c, inH, inW, y, x);
                }
            }
        }
        return out;
    }

    private static float source(int o, int in, int out, boolean alignCorners) {
        float s;
        if (alignCorners) {
            s = out == 1 ? 0f : o * (in - 1f) / (out - 1f);
        } else {
            s = (o + 0.5f) * in / out - 0.5f;
        }
        return Math.max(0f, Math.min(in - 1f, s));
    }
}
