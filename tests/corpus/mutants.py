"""Mutants of the corpus that crash at runtime: (file, original text, replacement).

Each replaces the first occurrence of the text in the file. Changed sizes, wrong dims, dropped
transposes: the mistakes people make. A test checks that each one really crashes in torch.
"""

import shutil
from pathlib import Path

MODELS = Path(__file__).parent / "models"

MUTANTS = [
    ("lenet.py", "nn.Linear(16 * 5 * 5, 120)", "nn.Linear(16 * 4 * 4, 120)"),
    ("lenet.py", "nn.Conv2d(6, 16, kernel_size=5)", "nn.Conv2d(8, 16, kernel_size=5)"),
    ("lenet.py", "nn.Linear(84, num_classes)", "nn.Linear(80, num_classes)"),
    ("vgg.py", "nn.Linear(64 * 2 * 2, 128)", "nn.Linear(64 * 3 * 3, 128)"),
    ("vgg.py", "nn.Linear(128, num_classes)", "nn.Linear(256, num_classes)"),
    ("resnet.py", "self.linear = nn.Linear(64, num_classes)", "self.linear = nn.Linear(32, num_classes)"),
    ("resnet.py", "self.bn1 = nn.BatchNorm2d(16)", "self.bn1 = nn.BatchNorm2d(32)"),
    ("unet.py", "self.dec2 = DoubleConv(base * 4, base * 2)", "self.dec2 = DoubleConv(base * 2, base * 2)"),
    ("unet.py", "d2 = torch.cat([d2, e2], dim=1)", "d2 = torch.cat([d2, e1], dim=1)"),
    (
        "unet.py",
        "self.head = nn.Conv2d(base, num_classes, kernel_size=1)",
        "self.head = nn.Conv2d(base * 2, num_classes, kernel_size=1)",
    ),
    ("vae.py", "self.fc3 = nn.Linear(latent_dim, hidden_dim)", "self.fc3 = nn.Linear(hidden_dim, hidden_dim)"),
    ("vae.py", "mu, logvar = self.encode(x.view(-1, 784))", "mu, logvar = self.encode(x.view(-1, 728))"),
    (
        "dcgan.py",
        "nn.ConvTranspose2d(ngf * 4, ngf * 2, 4, 2, 1, bias=False)",
        "nn.ConvTranspose2d(ngf * 2, ngf * 2, 4, 2, 1, bias=False)",
    ),
    ("dcgan.py", "nn.BatchNorm2d(ndf * 2),", "nn.BatchNorm2d(ndf),"),
    ("gpt_block.py", "self.c_proj = nn.Linear(4 * n_embd, n_embd)", "self.c_proj = nn.Linear(2 * n_embd, n_embd)"),
    ("gpt_block.py", "att = (q @ k.transpose(-2, -1))", "att = (q @ k)"),
    ("gpt_block.py", "y = y.transpose(1, 2).contiguous().view(B, T, C)", "y = y.contiguous().view(B, T, 2 * C)"),
    ("gpt_block.py", "self.ln_2 = nn.LayerNorm(n_embd)", "self.ln_2 = nn.LayerNorm(2 * n_embd)"),
    ("lstm_tagger.py", "nn.Linear(2 * hidden_dim, tagset_size)", "nn.Linear(hidden_dim, tagset_size)"),
    (
        "lstm_tagger.py",
        "nn.LSTM(embedding_dim, hidden_dim, batch_first=True, bidirectional=True)",
        "nn.LSTM(hidden_dim, hidden_dim, batch_first=True, bidirectional=True)",
    ),
    (
        "seq2seq_transformer.py",
        "self.generator = nn.Linear(d_model, tgt_vocab)",
        "self.generator = nn.Linear(2 * d_model, tgt_vocab)",
    ),
    ("vit_einops.py", "self.to_out = nn.Linear(inner_dim, dim)", "self.to_out = nn.Linear(dim * 2, dim)"),
    (
        "vit_einops.py",
        "self.mlp_head = nn.Linear(dim, num_classes)",
        "self.mlp_head = nn.Linear(dim // 2, num_classes)",
    ),
    ("llama_block.py", "self.w2 = nn.Linear(hidden_dim, dim, bias=False)", "self.w2 = nn.Linear(dim, dim, bias=False)"),
    ("llama_block.py", "keys = keys.transpose(1, 2)", "keys = keys.transpose(1, 3)"),
    ("mobilenet.py", "self.fc = nn.Linear(128, num_classes)", "self.fc = nn.Linear(64, num_classes)"),
    ("mobilenet.py", "self.bn1 = nn.BatchNorm2d(in_ch)", "self.bn1 = nn.BatchNorm2d(out_ch)"),
    (
        "config_model.py",
        "self.classifier = nn.Linear(config.n_embd, config.n_classes)",
        "self.classifier = nn.Linear(config.n_embd * 2, config.n_classes)",
    ),
    ("training_loop.py", "nn.Linear(4 * 13 * 13, 10)", "nn.Linear(4 * 14 * 14, 10)"),
    ("rnn_lm.py", "self.decoder = nn.Linear(nhid, ntoken)", "self.decoder = nn.Linear(ninp, ntoken)"),
    (
        "conv1d_audio.py",
        "self.conv2 = nn.Conv1d(n_channel, 2 * n_channel, kernel_size=3)",
        "self.conv2 = nn.Conv1d(2 * n_channel, 2 * n_channel, kernel_size=3)",
    ),
    ("conv1d_audio.py", "x = x.permute(0, 2, 1)", "x = x.permute(0, 1, 2)"),
    (
        "split/classifier.py",
        "self.head = nn.Linear(16 * 4 * 4, num_classes)",
        "self.head = nn.Linear(16 * 8 * 8, num_classes)",
    ),
    ("split/classifier.py", "self.block2 = ConvBlock(8, 16)", "self.block2 = ConvBlock(16, 16)"),
]


def written_mutants(folder: Path):
    """Each mutant as ``(name, replacement, path)``: its model's folder copied under ``folder``
    (a two-file model keeps its other file), the one file changed."""
    for number, (name, old, new) in enumerate(MUTANTS):
        source = MODELS / name
        work = folder / f"{number}-{source.stem}"
        shutil.copytree(source.parent, work)
        target = work / source.name
        text = target.read_text()
        assert old in text, f"{name}: mutant text not found: {old}"
        target.write_text(text.replace(old, new, 1))
        yield name, new, target
