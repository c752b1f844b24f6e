# Mirrors sooftware/conformer README usage: Conformer(num_classes=10, input_dim=80,
# encoder_dim=32, num_encoder_layers=3) on (batch 3, T, 80) filterbank features with per-utterance
# input_lengths, CTC loss on the outputs; plus count_parameters() and update_dropout().
# Sequence length 400 frames instead of the README's 12345 for CPU.
import torch
import torch.nn as nn

from conformer import Conformer

torch.manual_seed(0)
batch_size, sequence_length, dim = 3, 400, 80
criterion = nn.CTCLoss()
inputs = torch.rand(batch_size, sequence_length, dim)
input_lengths = torch.LongTensor([400, 390, 350])
targets = torch.LongTensor(
    [[1, 3, 3, 3, 3, 3, 4, 5, 6, 2], [1, 3, 3, 3, 3, 3, 4, 5, 2, 0], [1, 3, 3, 3, 3, 3, 4, 2, 0, 0]]
)
target_lengths = torch.LongTensor([9, 8, 7])

model = Conformer(num_classes=10, input_dim=dim, encoder_dim=32, num_encoder_layers=3)
outputs, output_lengths = model(inputs, input_lengths)
loss = criterion(outputs.transpose(0, 1), targets, output_lengths, target_lengths)
n = model.count_parameters()
model.update_dropout(0.2)
