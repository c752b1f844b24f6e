# Mirrors openai/improved-diffusion script_util.create_model() for the README's CIFAR-10 flags
# (--image_size 32 --learn_sigma True --dropout 0.3, attention at 16,8, 4 heads, scale-shift
# norm, channel_mult (1, 2, 2, 2)) with num_channels 64 / num_res_blocks 2 instead of 128 / 3 for
# CPU; a training forward, the class-conditional variant with get_feature_vectors(), and the
# SuperResModel (sr_create_model's 64x64 channel_mult, small channels, 16 -> 32). Batch 2.
import torch as th

from improved_diffusion.unet import SuperResModel, UNetModel

th.manual_seed(0)
image_size = 32
attention_ds = tuple(image_size // int(res) for res in "16,8".split(","))
model = UNetModel(
    in_channels=3,
    model_channels=64,
    out_channels=6,
    num_res_blocks=2,
    attention_resolutions=attention_ds,
    dropout=0.3,
    channel_mult=(1, 2, 2, 2),
    num_classes=None,
    use_checkpoint=False,
    num_heads=4,
    num_heads_upsample=-1,
    use_scale_shift_norm=True,
)
x = th.randn(2, 3, image_size, image_size)
t = th.randint(0, 4000, (2,))
out = model(x, t)

cond = UNetModel(
    in_channels=3,
    model_channels=32,
    out_channels=3,
    num_res_blocks=1,
    attention_resolutions=(4,),
    channel_mult=(1, 2, 2),
    num_classes=1000,
    num_heads=2,
    use_scale_shift_norm=False,
)
with th.no_grad():
    y = th.randint(0, 1000, (2,))
    out = cond(x, t, y=y)
    feats = cond.get_feature_vectors(x, t, y=y)

sr = SuperResModel(
    in_channels=3,
    model_channels=32,
    out_channels=6,
    num_res_blocks=1,
    attention_resolutions=(4,),
    channel_mult=(1, 2, 3),
    num_heads=2,
    use_scale_shift_norm=True,
)
with th.no_grad():
    out = sr(x, t, low_res=th.randn(2, 3, 16, 16))
