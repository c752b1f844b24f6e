import torch
import torch.nn as nn
import torch.nn.functional as F


class LSTMTagger(nn.Module):
    def __init__(self, embedding_dim, hidden_dim, vocab_size, tagset_size):
        super().__init__()
        self.hidden_dim = hidden_dim
        self.word_embeddings = nn.Embedding(vocab_size, embedding_dim)
        self.lstm = nn.LSTM(embedding_dim, hidden_dim, batch_first=True, bidirectional=True)
        self.hidden2tag = nn.Linear(2 * hidden_dim, tagset_size)

    def forward(self, sentence):
        embeds = self.word_embeddings(sentence)
        lstm_out, (h_n, c_n) = self.lstm(embeds)
        tag_space = self.hidden2tag(lstm_out)
        tag_scores = F.log_softmax(tag_space, dim=-1)
        return tag_scores


if __name__ == "__main__":
    model = LSTMTagger(embedding_dim=16, hidden_dim=12, vocab_size=50, tagset_size=5)
    sentences = torch.randint(0, 50, (3, 7))
    tags = torch.randint(0, 5, (3, 7))
    scores = model(sentences)
    loss = F.nll_loss(scores.view(-1, 5), tags.view(-1))
