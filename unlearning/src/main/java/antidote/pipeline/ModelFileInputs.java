package antidote.pipeline;

import antidote.attack.AttackRegistry;
import antidote.attack.AttackSpec;
import antidote.data.Dataset;
import antidote.data.source.SearchPath;
import antidote.nn.Module;
import antidote.nn.Sequential;
import antidote.nn.io.Checkpoint;
import antidote.nn.io.ModelInfo;
import antidote.nn.io.StateLayout;
import antidote.nn.layer.Normalize;
import antidote.poison.Models;
import antidote.poison.Poisoning;
import antidote.poison.TriggeredTestSet;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The defender's inputs: any safetensors state dict with PyTorch names (Antidote's metadata optional), its
 * architecture, the clean images, held-out images for ACC and, when the user knows them, triggered images for
 * ASR. Shapes and classes come from the user, else the checkpoint's metadata, else the weights, else the data.
 *
 * @param modelFile    the checkpoint
 * @param arch         the architecture name ({@link Models#names()})
 * @param inputShape   [C, H, W] given by the user, or null
 * @param classes      the number of classes given by the user, or null
 * @param normalize    {@code MEAN/STD} the model expects, or null (none, or what the checkpoint's metadata says)
 * @param clean        the clean set
 * @param cleanSamples a seeded subset of the clean set of this size, or null for all of it
 * @param evaluation   held-out images for ACC, or null for the rest of the clean set's split
 * @param triggered    a folder of triggered images by true class, or null
 * @param target       the attack's target class for {@code triggered}
 * @param attack       a known attack ({@code badnets:size=4,target=8}) applied to the evaluation images, or null
 * @param dataDir      where to look for named datasets first, or null
 * @param seed         seeds the clean subset
 */
public record ModelFileInputs(Path modelFile, String arch, int[] inputShape, Integer classes, String normalize,
                              DataSpec clean, Integer cleanSamples, DataSpec evaluation, DataSpec triggered,
                              Integer target, String attack, Path dataDir, long seed) {
    /** The metadata key under which a purified checkpoint records the normalisation its model expects. */
    public static final String NORMALIZE_KEY = "normalize";
    /** Image sides tried, in order, when nothing else fixes the input size (CIFAR-like, then MNIST-like). */
    private static final int[] FALLBACK_SIDES = {32, 28};

    /** Checks the whole request, loads the model and every image set, and returns them ready to defend. */
    public DefendRun.Inputs load(PrintStream log) throws IOException {
        if (triggered != null && attack != null) {
            throw new IllegalArgumentException("give either --triggered or --attack, not both");
        }
        if ((triggered == null) != (target == null)) {
            throw new IllegalArgumentException("--triggered and --target go together: the folder holds triggered "
                    + "images by true class, --target is the class the trigger flips them to");
        }
        DataSpec eval = evaluation != null ? evaluation : clean.rest();
        if (eval.overlaps(clean)) {
            throw new IllegalArgumentException("--clean " + clean + " and --eval " + eval + " share images; the "
                    + "evaluation must be held out from the clean set");
        }
        if (!Models.names().contains(arch)) {
            throw new IllegalArgumentException("unknown architecture '" + arch + "'; choose one of " + Models.names());
        }
        if (!Files.isRegularFile(modelFile)) {
            throw new IllegalArgumentException("--model " + modelFile + ": no such file");
        }
        Map<String, String> metadata = Checkpoint.metadata(modelFile);
        String recorded = metadata.get("model");
        if (recorded != null && !recorded.equals(arch)) {
            throw new IllegalArgumentException(modelFile + " was saved by Antidote as a " + recorded
                    + " but --arch is " + arch + "; use --arch " + recorded);
        }
        Map<String, antidote.tensor.Shape> weights = Checkpoint.shapes(modelFile);
        Models.Inferred inferred = Models.infer(arch, weights);
        int numClasses = classes != null ? classes : inferred.classes();
        SearchPath searchPath = SearchPath.standard(dataDir);
        int[] shape = shape(metadata, inferred, searchPath);
        List<String> notes = new ArrayList<>();
        Module network = Models.create(arch, shape[0], shape[1], shape[2], numClasses, inferred.finalNorm(), seed);
        notes.addAll(Checkpoint.load(modelFile, network));
        String norm = normalize != null ? normalize : metadata.get(NORMALIZE_KEY);
        Normalize normalization = norm == null ? null : Normalize.parse(norm, shape[0]);
        Module model = withNormalization(network, normalization);

        Dataset cleanSet = ImageSets.load(clean, searchPath, shape, numClasses, log);
        if (cleanSamples != null) {
            cleanSet = ImageSets.sample(cleanSet, cleanSamples, seed, "--clean-samples " + cleanSamples);
        }
        Dataset evalSet = ImageSets.load(eval, searchPath, shape, numClasses, log);
        TriggeredTestSet triggeredSet = triggeredSet(evalSet, searchPath, shape, numClasses, log);
        notes.forEach(n -> log.println("note: " + n));

        Map<String, Object> report = new LinkedHashMap<>();
        report.put("input_model", modelFile.toAbsolutePath().toString());
        report.put("input_sha256", sha256(modelFile));
        report.put("architecture", arch);
        report.put("input_shape", shape);
        report.put("classes", numClasses);
        report.put("normalization", normalization == null ? "none" : normalization.toString());
        report.put("clean", Map.of("spec", clean.toString(), "samples", cleanSet.size()));
        report.put("evaluation", Map.of("spec", eval.toString(), "samples", evalSet.size()));
        if (triggeredSet != null) {
            report.put("triggered", Map.of("spec", attack != null ? "attack " + attack : triggered + " target " + target,
                    "samples", triggeredSet.images().size()));
        }
        report.put("load_notes", notes);
        ModelInfo info = ModelInfo.of(arch, numClasses, shape, seed);
        StateLayout layout = Checkpoint.layout(modelFile);
        Map<String, String> extra = normalization == null ? Map.of() : Map.of(NORMALIZE_KEY, normalization.toString());
        return new DefendRun.Inputs(model, network, cleanSet, evalSet, triggeredSet, report,
                (file, net) -> Checkpoint.save(file, net, info, layout, extra));
    }

    /** {@code network} with {@code normalization} in front of it, or alone when there is none. */
    public static Module withNormalization(Module network, Normalize normalization) {
        return normalization == null ? network : new Sequential(normalization, network);
    }

    /** The normalisation a checkpoint's metadata records ({@link #NORMALIZE_KEY}), or null. */
    public static Normalize recordedNormalization(Map<String, String> metadata, int channels) {
        String spec = metadata.get(NORMALIZE_KEY);
        return spec == null ? null : Normalize.parse(spec, channels);
    }

    /**
     * [C, H, W]: the user's, else Antidote's metadata, else the first of these that the weights fit: the clean data's
     * size (named datasets), 32x32, 28x28 (SmallVgg's weights fix only ⌊H/8⌋·⌊W/8⌋).
     */
    private int[] shape(Map<String, String> metadata, Models.Inferred inferred, SearchPath searchPath)
            throws IOException {
        if (inputShape != null) {
            if (inputShape.length != 3 || Arrays.stream(inputShape).anyMatch(v -> v < 1)) {
                throw new IllegalArgumentException("--input-shape takes C,H,W with positive sizes, e.g. 3,32,32");
            }
            inferred.checkInput(inputShape[0], inputShape[1], inputShape[2]);
            return inputShape.clone();
        }
        if (metadata.containsKey("input_shape")) {
            return ModelInfo.fromMetadata(modelFile, metadata).inputShape().stream().mapToInt(Integer::intValue)
                    .toArray();
        }
        List<int[]> candidates = new ArrayList<>();
        if (!clean.isFolder()) {
            Dataset probe = ImageSets.load(clean, searchPath, null, 0, null);
            candidates.add(new int[] {inferred.channels(), probe.height(), probe.width()});
        }
        for (int side : FALLBACK_SIDES) {
            candidates.add(new int[] {inferred.channels(), side, side});
        }
        for (int[] candidate : candidates) {
            try {
                inferred.checkInput(candidate[0], candidate[1], candidate[2]);
                return candidate;
            } catch (IllegalArgumentException e) {
                // This size does not give the checkpoint's shapes; try the next one.
            }
        }
        inferred.checkInput(candidates.get(0)[0], candidates.get(0)[1], candidates.get(0)[2]);
        return candidates.get(0);
    }

    private TriggeredTestSet triggeredSet(Dataset evalSet, SearchPath searchPath, int[] shape, int numClasses,
                                          PrintStream log) throws IOException {
        if (attack != null) {
            AttackSpec spec = AttackSpec.parse(attack);
            Map<String, String> options = new LinkedHashMap<>(spec.options());
            options.putIfAbsent("seed", Long.toString(seed));
            return Poisoning.triggerTest(evalSet, AttackRegistry.standard().create(spec.name(), options));
        }
        if (triggered == null) {
            return null;
        }
        if (target < 0 || target >= numClasses) {
            throw new IllegalArgumentException("--target " + target + " is not a class of a model with " + numClasses
                    + " classes");
        }
        Dataset images = ImageSets.load(triggered, searchPath, shape, numClasses, log);
        int[] kept = java.util.stream.IntStream.range(0, images.size()).filter(i -> images.label(i) != target)
                .toArray();
        if (kept.length == 0) {
            throw new IllegalArgumentException(triggered + " holds only images of the target class " + target
                    + "; ASR counts triggered images of the other classes");
        }
        int[] poisoned = new int[kept.length];
        Arrays.fill(poisoned, target);
        return new TriggeredTestSet(images.subset(kept), poisoned);
    }

    private static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no SHA-256", e);
        }
    }
}
