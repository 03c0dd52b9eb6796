# reference_torch.py — the issue-8 reference nets in plain PyTorch, with
# snnTorch 0.9's Leaky semantics written out (U = beta*U + I - theta*s_prev,
# the reset detached; spike = H(U - theta) with the fast-sigmoid surrogate
# 1/(1 + k|U - theta|)^2), to check `snnex train`'s accuracies against an
# independent implementation of the same model and settings (T 25, batch 128,
# Adam 5e-4, rate encoding, slope 25, beta 0.95, theta 1, subtract reset,
# PyTorch's default init). Not part of the build or the tests: a developer's
# cross-check. Needs Debian's python3-torch:
#   apt-get install -y python3-torch
#   /usr/bin/python3 trainer/reference_torch.py ORDER LOSS EPOCHS SEED
# ORDER: ref (conv -> max pool -> LIF, snnTorch's order, configs/fmnist_conv.cfg),
#        lif_first (conv -> LIF -> max pool, configs/fmnist_conv_lif_first.cfg),
#        fc (784-800-10, configs/fmnist_fc.cfg)
# LOSS:  mse_count | ce_count | ce_rate | ce_membrane (as training.loss)
# Prints the test accuracy after every epoch. Figures are in trainer/README.md.
import gzip, sys, time
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

if (len(sys.argv) != 5 or sys.argv[1] not in ("ref", "lif_first", "fc")
        or sys.argv[2] not in ("mse_count", "ce_count", "ce_rate", "ce_membrane")
        or not sys.argv[3].isdigit() or not sys.argv[4].isdigit()):
    sys.exit("usage: reference_torch.py ref|lif_first|fc mse_count|ce_count|ce_rate|ce_membrane EPOCHS SEED")
order, lossname, epochs, seed = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
torch.set_num_threads(2)
torch.manual_seed(seed)
D = "/usr/share/datasets/fashion-mnist/"  # Debian's dataset-fashion-mnist


def idx(path, off):
    with gzip.open(D + path) as f:
        return np.frombuffer(f.read(), np.uint8, offset=off)


xtr = torch.tensor(idx("train-images-idx3-ubyte.gz", 16).reshape(-1, 1, 28, 28), dtype=torch.float32) / 255
ytr = torch.tensor(idx("train-labels-idx1-ubyte.gz", 8), dtype=torch.long)
xte = torch.tensor(idx("t10k-images-idx3-ubyte.gz", 16).reshape(-1, 1, 28, 28), dtype=torch.float32) / 255
yte = torch.tensor(idx("t10k-labels-idx1-ubyte.gz", 8), dtype=torch.long)
T, B, beta, theta, slope = 25, 128, 0.95, 1.0, 25.0


class Spike(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return (x > 0).float()

    @staticmethod
    def backward(ctx, g):
        (x,) = ctx.saved_tensors
        return g / (slope * x.abs() + 1.0) ** 2


def leaky(I, mem):
    reset = (mem - theta > 0).float().detach() if mem is not None else 0
    mem = (beta * mem if mem is not None else 0) + I - reset * theta
    return Spike.apply(mem - theta), mem


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.c1, self.c2, self.f = nn.Conv2d(1, 12, 5), nn.Conv2d(12, 64, 5), nn.Linear(64 * 4 * 4, 10)
        if order == "fc":
            self.h, self.f = nn.Linear(784, 800), nn.Linear(800, 10)

    def forward(self, x):
        m1 = m2 = m3 = None
        spk, mems = [], []
        for t in range(T):
            s = torch.bernoulli(x)
            if order == "fc":
                s2, m2 = leaky(self.h(s.flatten(1)), m2)
            elif order == "ref":
                s1, m1 = leaky(F.max_pool2d(self.c1(s), 2), m1)
                s2, m2 = leaky(F.max_pool2d(self.c2(s1), 2), m2)
            else:
                a, m1 = leaky(self.c1(s), m1)
                s1 = F.max_pool2d(a, 2)
                a, m2 = leaky(self.c2(s1), m2)
                s2 = F.max_pool2d(a, 2)
            s3, m3 = leaky(self.f(s2.flatten(1)), m3)
            spk.append(s3)
            mems.append(m3)
        return torch.stack(spk), torch.stack(mems)


def loss_fn(spk, mem, y):
    if lossname == "mse_count":
        tgt = torch.full((y.shape[0], 10), 0.2 * T)
        tgt[torch.arange(y.shape[0]), y] = 0.8 * T
        return F.mse_loss(spk.sum(0), tgt) / T
    if lossname == "ce_rate":
        return sum(F.cross_entropy(spk[t], y) for t in range(T)) / T
    if lossname == "ce_count":
        return F.cross_entropy(spk.sum(0), y)
    return F.cross_entropy(mem.sum(0), y)  # ce_membrane


net = Net()
opt = torch.optim.Adam(net.parameters(), lr=5e-4, betas=(0.9, 0.999))


def test():
    ok = 0
    with torch.no_grad():
        for i in range(0, len(yte), 500):
            spk, _ = net(xte[i:i + 500])
            ok += (spk.sum(0).argmax(1) == yte[i:i + 500]).sum().item()
    return ok / len(yte)


t0 = time.time()
for ep in range(epochs):
    perm = torch.randperm(len(ytr))
    for bi, i in enumerate(range(0, len(ytr), B)):
        j = perm[i:i + B]
        spk, mem = net(xtr[j])
        loss = loss_fn(spk, mem, ytr[j])
        opt.zero_grad()
        loss.backward()
        opt.step()
        if bi % 100 == 0:
            print(f"ep {ep} batch {bi} loss {loss.item():.4f} {time.time() - t0:.0f}s", flush=True)
    print(f"epoch {ep + 1} test_accuracy={test():.4f} seconds={time.time() - t0:.0f}", flush=True)
