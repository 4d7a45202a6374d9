"""Predictions people can look at: the libraries' own inferencers over a config and checkpoint.

mmdet's ``DetInferencer`` draws boxes, instance masks or the panoptic segmentation, mmseg's
``MMSegInferencer`` the semantic segmentation; the config's ``default_scope`` picks one, as it
picks the library in the train and test tools.
"""
import os
import os.path as osp
from typing import List, Sequence, Union

from mmengine.config import Config

IMAGE_SUFFIXES = ('.jpg', '.jpeg', '.png', '.bmp', '.tif', '.tiff', '.webp')


def list_images(inputs: Union[str, Sequence[str]], limit: int = 0) -> List[str]:
    """Image files named by ``inputs`` (files, or folders read in name order), at most
    ``limit`` of them when ``limit`` > 0."""
    paths = []
    for item in [inputs] if isinstance(inputs, str) else inputs:
        if osp.isdir(item):
            paths += [osp.join(item, n) for n in sorted(os.listdir(item))
                      if n.lower().endswith(IMAGE_SUFFIXES)]
        elif osp.isfile(item):
            paths.append(item)
        else:
            raise FileNotFoundError(f'input {item!r} is neither an image file nor a folder')
    if not paths:
        raise FileNotFoundError(f'no images ({", ".join(IMAGE_SUFFIXES)}) in {inputs!r}')
    return paths[:limit] if limit > 0 else paths


def draw_predictions(config: str, checkpoint: str, inputs: Union[str, Sequence[str]],
                     out_dir: str, score_thr: float = 0.3, device: str = 'cpu',
                     limit: int = 0) -> List[str]:
    """Predict ``inputs`` with the model of ``config`` and ``checkpoint`` and save each image
    with its predictions drawn over it into ``out_dir``; returns the written paths."""
    if not osp.isfile(checkpoint):
        raise FileNotFoundError(f'checkpoint {checkpoint!r} does not exist')
    images = list_images(inputs, limit)
    scope = Config.fromfile(config).get('default_scope')
    os.makedirs(out_dir, exist_ok=True)
    if scope == 'mmdet':
        from mmdet.apis import DetInferencer
        inferencer = DetInferencer(model=config, weights=checkpoint, device=device,
                                   show_progress=False)
        inferencer(images, out_dir=out_dir, pred_score_thr=score_thr, no_save_pred=True)
    elif scope == 'mmseg':
        from mmseg.apis import MMSegInferencer
        inferencer = MMSegInferencer(model=config, weights=checkpoint, device=device)
        inferencer(images, out_dir=out_dir, img_out_dir='vis', pred_out_dir='')
    else:
        raise ValueError(f'{config}: default_scope {scope!r} is neither mmdet nor mmseg')
    written = [osp.join(out_dir, 'vis', osp.basename(p)) for p in images]
    missing = [p for p in written if not osp.isfile(p)]
    if missing:
        raise RuntimeError(f'the {scope} inferencer wrote no picture for {missing}')
    return written
