# Mirrors milesial/Pytorch-UNet train.py / predict.py: UNet(n_channels=3, n_classes=2 (its --classes
# default), bilinear=False): forward, loss and backward of one training step on RGB images with
# CrossEntropyLoss + multiclass dice loss on one-hot masks (train.py), then predict.py's eval: argmax
# mask after interpolating back to the full size; also --bilinear with the n_classes=1
# (BCEWithLogits + dice) path. Carvana at --scale 0.5 is 959x640, too big for CPU: here 64x96 (same
# aspect) and an odd 50x75 (exercises Up's padding).
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(0)
from unet import UNet


def dice_coeff(input, target, epsilon=1e-6):
    # utils/dice_score.py's dice_coeff with reduce_batch_first=True (inlined: it is not a model file)
    inter = 2 * (input * target).sum(dim=(-1, -2, -3))
    sets_sum = input.sum(dim=(-1, -2, -3)) + target.sum(dim=(-1, -2, -3))
    sets_sum = torch.where(sets_sum == 0, inter, sets_sum)
    return ((inter + epsilon) / (sets_sum + epsilon)).mean()


def train_step(model, images, true_masks, backward=True):
    # train.py then steps RMSprop(lr=1e-5, weight_decay=1e-8, momentum=0.999): left out, it costs
    # seconds on 31M parameters and binds no tensor of the model file
    criterion = nn.CrossEntropyLoss() if model.n_classes > 1 else nn.BCEWithLogitsLoss()
    model.train()
    masks_pred = model(images)
    if model.n_classes == 1:
        loss = criterion(masks_pred.squeeze(1), true_masks.float())
        loss += 1 - dice_coeff(F.sigmoid(masks_pred.squeeze(1)).unsqueeze(1), true_masks.float().unsqueeze(1))
    else:
        loss = criterion(masks_pred, true_masks)
        loss += 1 - dice_coeff(
            F.softmax(masks_pred, dim=1).float().flatten(0, 1).unsqueeze(1),
            F.one_hot(true_masks, model.n_classes).permute(0, 3, 1, 2).float().flatten(0, 1).unsqueeze(1),
        )
    if backward:
        loss.backward()


def predict(net, img, full_size):
    net.eval()
    with torch.no_grad():
        output = net(img)
        output = F.interpolate(output, full_size, mode="bilinear")
        if net.n_classes > 1:
            mask = output.argmax(dim=1)
        else:
            mask = torch.sigmoid(output) > 0.5
    return mask[0].long().squeeze().numpy()


model = UNet(n_channels=3, n_classes=2, bilinear=False)
model = model.to(memory_format=torch.channels_last)
images = torch.randn(2, 3, 64, 96).to(memory_format=torch.channels_last)
train_step(model, images, torch.randint(0, 2, (2, 64, 96)))
predict(model, torch.randn(1, 3, 50, 75), (100, 150))

bil = UNet(n_channels=3, n_classes=1, bilinear=True)
train_step(bil, torch.randn(2, 3, 50, 75), torch.randint(0, 2, (2, 50, 75)), backward=False)
predict(bil, torch.randn(1, 3, 64, 96), (128, 192))
