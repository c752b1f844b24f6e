"""A small hybrid CNN/transformer image classifier with an auxiliary VAE head, and its training loop."""

import math

import torch
import torch.nn as nn
import torch.nn.functional as F


class ConvStem(nn.Module):
    def __init__(self, in_channels=3, width=32):
        super().__init__()
        self.conv1 = nn.Conv2d(in_channels, width, kernel_size=3, stride=2, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(width)
        self.conv2 = nn.Conv2d(width, width * 2, kernel_size=3, stride=1, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(width * 2)
        self.pool = nn.MaxPool2d(2)

    def forward(self, x):
        x = F.relu(self.bn1(self.conv1(x)))
        x = F.relu(self.bn2(self.conv2(x)))
        x = self.pool(x)
        return x


class ResidualBlock(nn.Module):
    def __init__(self, in_planes, planes, stride=1):
        super().__init__()
        self.conv1 = nn.Conv2d(in_planes, planes, kernel_size=3, stride=stride, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(planes)
        self.conv2 = nn.Conv2d(planes, planes, kernel_size=3, stride=1, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(planes)
        self.shortcut = nn.Sequential()
        if stride != 1 or in_planes != planes:
            self.shortcut = nn.Sequential(
                nn.Conv2d(in_planes, planes, kernel_size=1, stride=stride, bias=False),
                nn.BatchNorm2d(planes),
            )

    def forward(self, x):
        out = F.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        out = out + self.shortcut(x)
        out = F.relu(out)
        return out


class PatchEmbed(nn.Module):
    def __init__(self, in_channels, embed_dim, patch=2):
        super().__init__()
        self.proj = nn.Conv2d(in_channels, embed_dim, kernel_size=patch, stride=patch)
        self.norm = nn.LayerNorm(embed_dim)

    def forward(self, x):
        x = self.proj(x)
        b, c, h, w = x.shape
        tokens = x.flatten(2).transpose(1, 2)
        tokens = self.norm(tokens)
        return tokens


class SelfAttention(nn.Module):
    def __init__(self, dim, heads=4, dropout=0.1):
        super().__init__()
        assert dim % heads == 0
        self.heads = heads
        self.head_dim = dim // heads
        self.qkv = nn.Linear(dim, 3 * dim)
        self.proj = nn.Linear(dim, dim)
        self.attn_drop = nn.Dropout(dropout)

    def forward(self, x):
        B, N, C = x.shape
        qkv = self.qkv(x).reshape(B, N, 3, self.heads, self.head_dim)
        qkv = qkv.permute(2, 0, 3, 1, 4)
        q, k, v = qkv[0], qkv[1], qkv[2]
        scores = (q @ k.transpose(-2, -1)) / math.sqrt(self.head_dim)
        weights = F.softmax(scores, dim=-1)
        weights = self.attn_drop(weights)
        context = weights @ v
        context = context.transpose(1, 2).reshape(B, N, C)
        return self.proj(context)


class FeedForward(nn.Module):
    def __init__(self, dim, hidden_mult=4, dropout=0.1):
        super().__init__()
        self.fc1 = nn.Linear(dim, dim * hidden_mult)
        self.act = nn.GELU()
        self.fc2 = nn.Linear(dim * hidden_mult, dim)
        self.drop = nn.Dropout(dropout)

    def forward(self, x):
        x = self.fc1(x)
        x = self.act(x)
        x = self.drop(x)
        x = self.fc2(x)
        return x


class TransformerBlock(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.norm1 = nn.LayerNorm(dim)
        self.attn = SelfAttention(dim, heads)
        self.norm2 = nn.LayerNorm(dim)
        self.ff = FeedForward(dim)

    def forward(self, x):
        x = x + self.attn(self.norm1(x))
        x = x + self.ff(self.norm2(x))
        return x


class LatentHead(nn.Module):
    """Maps pooled features to a latent code and reconstructs a small thumbnail from it."""

    def __init__(self, in_dim, latent_dim=16, thumb=8):
        super().__init__()
        self.thumb = thumb
        self.fc_mu = nn.Linear(in_dim, latent_dim)
        self.fc_logvar = nn.Linear(in_dim, latent_dim)
        self.decoder = nn.Sequential(
            nn.Linear(latent_dim, 128),
            nn.ReLU(),
            nn.Linear(128, 3 * thumb * thumb),
        )

    def reparameterize(self, mu, logvar):
        std = torch.exp(0.5 * logvar)
        eps = torch.randn_like(std)
        return mu + eps * std

    def forward(self, features):
        mu = self.fc_mu(features)
        logvar = self.fc_logvar(features)
        z = self.reparameterize(mu, logvar)
        recon = torch.sigmoid(self.decoder(z))
        recon = recon.view(-1, 3, self.thumb, self.thumb)
        return recon, mu, logvar


class HybridClassifier(nn.Module):
    def __init__(self, num_classes=10, width=32, dim=128, depth=2, heads=4):
        super().__init__()
        self.stem = ConvStem(3, width)
        self.stage1 = ResidualBlock(width * 2, width * 2)
        self.stage2 = ResidualBlock(width * 2, width * 4, stride=2)
        self.embed = PatchEmbed(width * 4, dim)
        self.blocks = nn.ModuleList([TransformerBlock(dim, heads) for _ in range(depth)])
        self.norm = nn.LayerNorm(dim)
        self.cls_head = nn.Linear(dim, num_classes)
        self.latent = LatentHead(dim)

    def forward(self, images):
        x = self.stem(images)
        x = self.stage1(x)
        x = self.stage2(x)
        tokens = self.embed(x)
        for block in self.blocks:
            tokens = block(tokens)
        tokens = self.norm(tokens)
        pooled = tokens.mean(dim=1)
        logits = self.cls_head(pooled)
        recon, mu, logvar = self.latent(pooled)
        return logits, recon, mu, logvar


def vae_loss(recon, target, mu, logvar):
    thumb = F.adaptive_avg_pool2d(target, recon.shape[-1])
    bce = F.binary_cross_entropy(recon, thumb, reduction="sum")
    kld = -0.5 * torch.sum(1 + logvar - mu.pow(2) - logvar.exp())
    return bce + kld


def accuracy(logits, labels):
    predictions = logits.argmax(dim=-1)
    correct = (predictions == labels).float()
    return correct.mean()


def make_batch(batch_size, image_size=64, num_classes=10):
    images = torch.rand(batch_size, 3, image_size, image_size)
    labels = torch.randint(0, num_classes, (batch_size,))
    return images, labels


def train_step(model, optimizer, images, labels, beta=0.1):
    optimizer.zero_grad()
    logits, recon, mu, logvar = model(images)
    ce = F.cross_entropy(logits, labels)
    aux = vae_loss(recon, images, mu, logvar)
    loss = ce + beta * aux / images.shape[0]
    loss.backward()
    optimizer.step()
    return loss, accuracy(logits, labels)


def evaluate(model, batches):
    model.eval()
    total = 0.0
    with torch.no_grad():
        for images, labels in batches:
            logits, recon, mu, logvar = model(images)
            total = total + accuracy(logits, labels)
    model.train()
    return total / len(batches)


def embed_gallery(model, images):
    features = model.stem(images)
    features = model.stage2(model.stage1(features))
    tokens = model.embed(features)
    gallery = F.normalize(tokens.mean(dim=1), dim=-1)
    similarity = gallery @ gallery.t()
    return similarity


def warmup_cosine(step, total_steps, warmup=10):
    if step < warmup:
        return (step + 1) / warmup
    progress = (step - warmup) / max(1, total_steps - warmup)
    return 0.5 * (1.0 + math.cos(math.pi * progress))


if __name__ == "__main__":
    torch.manual_seed(0)
    model = HybridClassifier(num_classes=10)
    optimizer = torch.optim.AdamW(model.parameters(), lr=3e-4, weight_decay=0.05)
    images, labels = make_batch(8)
    logits, recon, mu, logvar = model(images)
    for step in range(3):
        for group in optimizer.param_groups:
            group["lr"] = 3e-4 * warmup_cosine(step, 3)
        images, labels = make_batch(8)
        loss, acc = train_step(model, optimizer, images, labels)
    val = [make_batch(4) for _ in range(2)]
    score = evaluate(model, val)
    similarity = embed_gallery(model, make_batch(4)[0])
    probe = torch.randn(2, 3, 32, 32)
    probe_logits, _, _, _ = model(probe)
