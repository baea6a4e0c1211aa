# Small CIFAR-10 (binary version) and GTSRB (official Final_Training / Final_Test layout) files of random images,
# to run `reproduce --preset paper` end to end where the real datasets are not here.
# Usage: python3 bench/probes/synthetic_paper_data.py DIR   (then: ./antidote reproduce --preset paper --data-dir DIR)
import os
import random
import sys

root = sys.argv[1]
rng = random.Random(0)
CIFAR_CLASSES = ["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"]
GTSRB_HEADER = "Filename;Width;Height;Roi.X1;Roi.Y1;Roi.X2;Roi.Y2;ClassId\n"


def cifar_batch(path, n):
    """n records of one label byte and 3,072 pixel bytes (the R, G and B planes of a 32x32 image)."""
    with open(path, "wb") as f:
        for _ in range(n):
            f.write(bytes([rng.randrange(10)]))
            f.write(bytes(rng.randrange(256) for _ in range(3072)))


def ppm(path, w, h):
    with open(path, "wb") as f:
        f.write(f"P6\n{w} {h}\n255\n".encode())
        f.write(bytes(rng.randrange(256) for _ in range(w * h * 3)))


def gtsrb_image(folder, name, label):
    """A 30-59 px image and its CSV row (region of interest 5 px inside the border)."""
    w, h = rng.randrange(30, 60), rng.randrange(30, 60)
    ppm(os.path.join(folder, name), w, h)
    return f"{name};{w};{h};5;5;{w - 6};{h - 6};{label}\n"


cifar = os.path.join(root, "cifar-10-batches-bin")
os.makedirs(cifar, exist_ok=True)
for i in range(1, 6):
    cifar_batch(os.path.join(cifar, f"data_batch_{i}.bin"), 100)
cifar_batch(os.path.join(cifar, "test_batch.bin"), 600)
with open(os.path.join(cifar, "batches.meta.txt"), "w") as f:
    f.write("\n".join(CIFAR_CLASSES) + "\n")

gtsrb = os.path.join(root, "GTSRB")
for c in range(43):
    folder = os.path.join(gtsrb, "Final_Training", "Images", f"{c:05d}")
    os.makedirs(folder, exist_ok=True)
    rows = [gtsrb_image(folder, f"00000_{i:05d}.ppm", c) for i in range(12)]
    with open(os.path.join(folder, f"GT-{c:05d}.csv"), "w") as f:
        f.write(GTSRB_HEADER + "".join(rows))
folder = os.path.join(gtsrb, "Final_Test", "Images")
os.makedirs(folder, exist_ok=True)
rows = [gtsrb_image(folder, f"{i:05d}.ppm", rng.randrange(43)) for i in range(600)]
with open(os.path.join(folder, "GT-final_test.csv"), "w") as f:
    f.write(GTSRB_HEADER + "".join(rows))
