from dataclasses import dataclass

import torch
import torch.nn as nn


@dataclass
class ModelConfig:
    vocab_size: int = 64
    n_embd: int = 24
    n_head: int = 3
    n_layer: int = 2
    n_classes: int = 4
    dropout: float = 0.1


class Encoder(nn.Module):
    def __init__(self, config: ModelConfig):
        super().__init__()
        self.embed = nn.Embedding(config.vocab_size, config.n_embd)
        layer = nn.TransformerEncoderLayer(config.n_embd, config.n_head, dim_feedforward=4 * config.n_embd,
                                           dropout=config.dropout, batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, num_layers=config.n_layer)
        self.norm = nn.LayerNorm(config.n_embd)
        self.classifier = nn.Linear(config.n_embd, config.n_classes)

    def forward(self, tokens):
        h = self.embed(tokens)
        h = self.encoder(h)
        h = self.norm(h)
        pooled = h.mean(dim=1)
        return self.classifier(pooled)


if __name__ == "__main__":
    config = ModelConfig()
    model = Encoder(config)
    tokens = torch.randint(0, config.vocab_size, (2, 5))
    logits = model(tokens)
    loss = nn.CrossEntropyLoss()(logits, torch.randint(0, config.n_classes, (2,)))
