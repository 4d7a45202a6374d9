"""Synthetic "shapes" data written in the on-disk layouts of COCO 2017 and ADE20K.

Every image is a scene of 1-3 *stuff* regions (sky, grass, water) separated by smooth random
boundaries, with 1-6 *thing* objects (circle, square, triangle, star, hexagon) of random size,
rotation, colour and texture painted over them; later objects occlude earlier ones. The class
of a thing is carried by its outline only (colours and textures are drawn independently of the
class), so a model has to learn shapes, and an untrained one scores near zero.

One scene feeds all three layouts, so the files of a split share their pixels:

* COCO instances: ``coco/{train,val}2017/*.jpg`` + ``coco/annotations/instances_*2017.json``
  (polygons, boxes and areas of the VISIBLE part of each object);
* COCO panoptic: ``coco/annotations/panoptic_*2017.json`` + PNGs in
  ``coco/annotations/panoptic_*2017/``
  (segment id = R + 256 G + 256^2 B; every pixel belongs to exactly one segment);
* ADE20K: ``ade/ADEChallengeData2016/{images,annotations}/{training,validation}/`` with uint8
  label PNGs in the reduce-zero-label convention (0 unused, things 1..5, stuff 6..8).

The module needs only numpy and OpenCV (no torch, no mm* packages), so the generator runs, and
its up-to-date check answers instantly, before or without the training stack.
"""
import json
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, Iterable, List, Optional, Sequence, Tuple, Union

import cv2
import numpy as np

SHAPES_THING_CLASSES: Tuple[str, ...] = ('circle', 'square', 'triangle', 'star', 'hexagon')
SHAPES_STUFF_CLASSES: Tuple[str, ...] = ('sky', 'grass', 'water')
#: RGB colour per class, things then stuff (used for visualisation only, never for rendering).
SHAPES_PALETTE: List[Tuple[int, int, int]] = [
    (220, 20, 60), (0, 128, 255), (255, 165, 0), (148, 0, 211), (0, 170, 0),
    (135, 206, 235), (124, 252, 0), (0, 105, 148)]

SHAPES_INSTANCE_METAINFO: dict = dict(
    classes=SHAPES_THING_CLASSES, palette=SHAPES_PALETTE[:len(SHAPES_THING_CLASSES)])
SHAPES_PANOPTIC_METAINFO: dict = dict(
    classes=SHAPES_THING_CLASSES + SHAPES_STUFF_CLASSES,
    thing_classes=SHAPES_THING_CLASSES, stuff_classes=SHAPES_STUFF_CLASSES,
    palette=SHAPES_PALETTE)
SHAPES_SEMANTIC_METAINFO: dict = dict(
    classes=SHAPES_THING_CLASSES + SHAPES_STUFF_CLASSES, palette=SHAPES_PALETTE)

TASKS: Tuple[str, ...] = ('instance', 'panoptic', 'semantic')
SPLITS: Dict[str, Tuple[str, str]] = {  # split -> (COCO folder tag, ADE folder)
    'train': ('train2017', 'training'), 'val': ('val2017', 'validation')}
MANIFEST_NAME = 'shapes_manifest.json'
#: bump when the pixels or files produced for the same arguments change
GENERATOR_VERSION = 2
#: standard deviation of a thing's hue around its class centre (OpenCV hue scale 0-180)
HUE_SPREAD = 20.0
#: objects with fewer visible pixels than this are removed from the scene before rendering
MIN_VISIBLE_PIXELS = 20
#: image ids of the val split start here, so ids are unique across splits as in real COCO
VAL_ID_OFFSET = 1_000_000


@dataclass
class ShapesScene:
    """One rendered scene.

    Attributes:
        image: HxWx3 uint8 RGB image.
        stuff: HxW int array, index into :data:`SHAPES_STUFF_CLASSES` of the background.
        thing_labels: index into :data:`SHAPES_THING_CLASSES` per kept object (paint order).
        thing_masks: HxW bool VISIBLE mask per kept object (disjoint, each >= the minimum size).
    """
    image: np.ndarray
    stuff: np.ndarray
    thing_labels: List[int] = field(default_factory=list)
    thing_masks: List[np.ndarray] = field(default_factory=list)

    def semantic_map(self) -> np.ndarray:
        """HxW uint8 labels in ADE's reduce-zero-label convention: things 1..5, stuff 6..8."""
        sem = (self.stuff + 1 + len(SHAPES_THING_CLASSES)).astype(np.uint8)
        for label, mask in zip(self.thing_labels, self.thing_masks):
            sem[mask] = label + 1
        return sem


# ----------------------------------------------------------------------------------------------
# rendering

def _smooth_noise(rng: np.random.Generator, h: int, w: int, cells: float) -> np.ndarray:
    """Zero-mean, unit-std noise that varies over about ``cells`` cells along the longer side."""
    ch = max(2, int(round(cells * h / max(h, w))) + 1)
    cw = max(2, int(round(cells * w / max(h, w))) + 1)
    coarse = rng.standard_normal((ch, cw)).astype(np.float32)
    fine = cv2.resize(coarse, (w, h), interpolation=cv2.INTER_CUBIC)
    return (fine - fine.mean()) / (fine.std() + 1e-6)


def _stuff_layout(rng: np.random.Generator, h: int, w: int) -> np.ndarray:
    """HxW stuff-class map: 1-3 bands of distinct classes split by smooth wavy boundaries.

    Sky, when present, is the top band, as in photographs; the other bands come in random order.
    """
    n = int(rng.integers(1, 4))
    classes = list(rng.permutation(len(SHAPES_STUFF_CLASSES))[:n])
    if 0 in classes:  # sky on top
        classes.remove(0)
        classes.insert(0, 0)
    ys = np.arange(h, dtype=np.float32)[:, None]
    xs = np.arange(w, dtype=np.float32)[None, :] / w
    band = np.zeros((h, w), np.int64)
    for j in range(1, n):
        base = h * (j / n + rng.uniform(-0.1, 0.1))
        curve = (base + rng.uniform(-0.15, 0.15) * h * (xs - 0.5)
                 + rng.uniform(0.02, 0.08) * h * np.sin(2 * np.pi * (rng.uniform(0.4, 1.5) * xs
                                                                     + rng.uniform()))
                 + rng.uniform(0.0, 0.03) * h * np.sin(2 * np.pi * (rng.uniform(1.5, 4.0) * xs
                                                                    + rng.uniform())))
        band += (ys >= curve)
    return np.asarray(classes, np.int64)[band]


def _stuff_texture(rng: np.random.Generator, cls: int, h: int, w: int) -> np.ndarray:
    """HxWx3 float RGB texture for a whole image of stuff class ``cls`` (cut to its region later).

    The look is typical of the class (bright smooth sky with clouds, grainy streaked grass,
    darker water with horizontal ripples) with random tint, so texture is as much a cue as
    colour.
    """
    tint = rng.uniform(0.85, 1.15, 3).astype(np.float32)
    ys = np.arange(h, dtype=np.float32)[:, None] / h
    if cls == 0:  # sky: vertical gradient + soft clouds
        top = np.array([rng.uniform(60, 130), rng.uniform(120, 180), rng.uniform(200, 255)])
        bottom = np.minimum(top + rng.uniform(30, 70), 255)
        img = top + (bottom - top) * ys[..., None]
        clouds = np.clip(_smooth_noise(rng, h, w, rng.uniform(2, 5)) - 0.3, 0, None)
        img = img + rng.uniform(20, 60) * clouds[..., None]
        img = img + 3 * rng.standard_normal((h, w, 1))
    elif cls == 1:  # grass: green, grainy, vertical blade streaks
        base = np.array([rng.uniform(40, 110), rng.uniform(110, 190), rng.uniform(20, 80)])
        streak = cv2.blur(rng.standard_normal((h, w)).astype(np.float32), (1, 7)) * 2.0
        img = (base + 18 * streak[..., None] + 12 * rng.standard_normal((h, w, 1))
               + 15 * _smooth_noise(rng, h, w, 4)[..., None])
    else:  # water: dark blue-teal, horizontal ripples
        base = np.array([rng.uniform(10, 60), rng.uniform(60, 130), rng.uniform(120, 190)])
        xs = np.arange(w, dtype=np.float32)[None, :] / w
        phase = 2.0 * _smooth_noise(rng, h, w, 3)
        ripples = np.sin(2 * np.pi * ys * h / rng.uniform(4, 9) + phase + 2 * xs)
        img = base + 18 * ripples[..., None] + 6 * rng.standard_normal((h, w, 1))
    return img.astype(np.float32) * tint


def _shape_vertices(label: int, cx: float, cy: float, radius: float, angle: float,
                    rng: np.random.Generator) -> np.ndarray:
    """Nx2 float polygon of thing class ``label``: circumradius ``radius``, rotated by ``angle``."""
    name = SHAPES_THING_CLASSES[label]
    if name == 'circle':
        t = np.linspace(0, 2 * np.pi, 64, endpoint=False)
        r = np.full_like(t, radius)
    elif name == 'star':
        t = angle + np.arange(10) * np.pi / 5
        r = np.where(np.arange(10) % 2 == 0, radius, radius * rng.uniform(0.38, 0.5))
    else:
        sides = {'square': 4, 'triangle': 3, 'hexagon': 6}[name]
        t = angle + np.arange(sides) * 2 * np.pi / sides
        r = np.full_like(t, radius)
    return np.stack([cx + r * np.cos(t), cy + r * np.sin(t)], axis=1)


def _fill(vertices: np.ndarray, h: int, w: int) -> np.ndarray:
    """Rasterise a float polygon with 1/16-pixel precision into an HxW bool mask."""
    mask = np.zeros((h, w), np.uint8)
    pts = np.round((vertices - 0.5) * 16).astype(np.int32)  # pixel centres sit at i + 0.5
    cv2.fillPoly(mask, [pts], 1, lineType=cv2.LINE_8, shift=4)
    return mask.astype(bool)


def _thing_colour(rng: np.random.Generator, avoid: np.ndarray, label: int) -> np.ndarray:
    """A random RGB colour that stands out from ``avoid`` (the local background).

    The hue is drawn around a centre per class (OpenCV hue ``36 * label``, spread
    :data:`HUE_SPREAD`), so colour hints at the class the way it does for real objects while
    neighbouring classes overlap widely: shape is still what separates them. Without such a
    prior a small model trained for minutes on two CPU cores does not learn the classes.
    """
    centre = 180 / len(SHAPES_THING_CLASSES) * label
    for _ in range(20):
        hue = int(round(centre + rng.normal(0, HUE_SPREAD))) % 180
        hsv = np.array([[[hue, rng.integers(60, 256), rng.integers(70, 256)]]], np.uint8)
        rgb = cv2.cvtColor(hsv, cv2.COLOR_HSV2RGB)[0, 0].astype(np.float32)
        if np.linalg.norm(rgb - avoid) > 70:
            break
    return rgb


def _thing_texture(rng: np.random.Generator, colour: np.ndarray, h: int, w: int) -> np.ndarray:
    """HxWx3 float texture around ``colour``: flat, stripes, gradient or blotches, plus grain."""
    kind = int(rng.integers(0, 4))
    ys, xs = np.mgrid[0:h, 0:w].astype(np.float32)
    if kind == 0:
        factor = np.ones((h, w), np.float32)
    elif kind == 1:
        theta = rng.uniform(0, np.pi)
        wave = np.sin(2 * np.pi * (xs * np.cos(theta) + ys * np.sin(theta)) / rng.uniform(3, 8))
        factor = 1 + rng.uniform(0.15, 0.3) * wave
    elif kind == 2:
        theta = rng.uniform(0, 2 * np.pi)
        ramp = (xs * np.cos(theta) + ys * np.sin(theta)) / max(h, w)
        factor = 1 + rng.uniform(0.3, 0.6) * (ramp - ramp.mean())
    else:
        factor = 1 + 0.15 * _smooth_noise(rng, h, w, rng.uniform(4, 10))
    img = colour * factor[..., None] + rng.uniform(4, 12) * rng.standard_normal((h, w, 1))
    return img.astype(np.float32)


def generate_scene(rng: np.random.Generator, height: int = 128, width: int = 128,
                   min_objects: int = 1, max_objects: int = 6,
                   size_range: Tuple[float, float] = (0.15, 0.5)) -> ShapesScene:
    """Draw one random scene.

    Args:
        rng: the generator all randomness comes from (same state -> same scene).
        height, width: image size in pixels.
        min_objects, max_objects: the number of objects drawn is uniform in this range
            (inclusive); objects hidden down to fewer than :data:`MIN_VISIBLE_PIXELS` visible
            pixels are removed, so a scene can end up with fewer (even none).
        size_range: object diameter as a fraction of the shorter image side, uniform.

    Returns:
        The scene; its masks, and everything derived from them, describe visible pixels only.
    """
    h, w = int(height), int(width)
    stuff = _stuff_layout(rng, h, w)
    canvas = np.zeros((h, w, 3), np.float32)
    for cls in np.unique(stuff):
        region = stuff == cls
        canvas[region] = _stuff_texture(rng, int(cls), h, w)[region]

    side = min(h, w)
    objects = []  # (label, full mask)
    for _ in range(int(rng.integers(min_objects, max_objects + 1))):
        label = int(rng.integers(0, len(SHAPES_THING_CLASSES)))
        radius = rng.uniform(*size_range) * side / 2
        cx, cy = rng.uniform(0.1 * w, 0.9 * w), rng.uniform(0.1 * h, 0.9 * h)
        mask = _fill(_shape_vertices(label, cx, cy, radius, rng.uniform(0, 2 * np.pi), rng), h, w)
        objects.append((label, mask))

    # Removing a barely visible object uncovers the ones below it, so repeat until stable.
    keep = list(range(len(objects)))
    while True:
        owner = np.full((h, w), -1, np.int64)
        for i in keep:
            owner[objects[i][1]] = i
        counts = np.bincount(owner.ravel() + 1, minlength=len(objects) + 1)[1:]
        small = [i for i in keep if counts[i] < MIN_VISIBLE_PIXELS]
        if not small:
            break
        keep = [i for i in keep if i not in small]

    labels, masks = [], []
    for i in keep:
        label, full = objects[i]
        avoid = canvas[full].mean(axis=0) if full.any() else np.zeros(3, np.float32)
        texture = _thing_texture(rng, _thing_colour(rng, avoid, label), h, w)
        visible = owner == i
        canvas[visible] = texture[visible]
        labels.append(label)
        masks.append(visible)

    if rng.uniform() < 0.5:  # mild optical blur so edges are not always razor sharp
        canvas = cv2.GaussianBlur(canvas, (3, 3), rng.uniform(0.4, 0.9))
    canvas = canvas * rng.uniform(0.85, 1.15) + rng.uniform(-15, 15)
    canvas = canvas + rng.uniform(3, 10) * rng.standard_normal(canvas.shape).astype(np.float32)
    image = np.clip(np.round(canvas), 0, 255).astype(np.uint8)
    return ShapesScene(image=image, stuff=stuff, thing_labels=labels, thing_masks=masks)


# ----------------------------------------------------------------------------------------------
# annotation helpers

def mask_to_bbox(mask: np.ndarray) -> List[float]:
    """COCO ``[x, y, w, h]`` of the pixels of a non-empty bool mask (pixel i spans [i, i+1])."""
    ys, xs = np.nonzero(mask)
    x0, y0 = int(xs.min()), int(ys.min())
    return [float(x0), float(y0), float(xs.max() - x0 + 1), float(ys.max() - y0 + 1)]


def _cut_holes(up: np.ndarray, max_iters: int = 50) -> np.ndarray:
    """Cut a 1-pixel slit from each hole of ``up`` to the outside, so outer contours alone
    describe the region (COCO polygons are unioned, they cannot express holes)."""
    for _ in range(max_iters):
        contours, hierarchy = cv2.findContours(up, cv2.RETR_CCOMP, cv2.CHAIN_APPROX_NONE)
        holes = [c for c, hier in zip(contours, hierarchy[0]) if hier[3] >= 0] \
            if hierarchy is not None else []
        if not holes:
            return up
        for hole in holes:
            # the contour runs over the object pixels around the hole: find the hole's own pixels
            inside = np.zeros_like(up)
            cv2.drawContours(inside, [hole], -1, 1, thickness=-1)
            ys, xs = np.nonzero(inside.astype(bool) & (up == 0))
            if len(ys) == 0:
                continue
            top = np.argmin(ys)
            x, yy = xs[top], ys[top] - 1
            # walk up from the hole's top through the object until background is reached
            while yy >= 0 and up[yy, x]:
                up[yy, x] = 0
                yy -= 1
    return up


def mask_to_polygons(mask: np.ndarray) -> List[List[float]]:
    """COCO polygons ``[[x1, y1, x2, y2, ...], ...]`` of a bool mask, one per connected part.

    Contours are traced on the mask upsampled 2x and mapped back with ``(u + 0.5) / 2``, which
    puts the polygon a quarter pixel inside the outer pixel edges: pycocotools rasterises that
    back to the same pixels, where contours through pixel centres would lose half of the boundary
    pixels (IoU ~0.75 for a 9x9 object). Holes are opened by a slit; degenerate polygons (fewer
    than 3 points) are skipped.
    """
    up = cv2.resize(mask.astype(np.uint8), None, fx=2, fy=2, interpolation=cv2.INTER_NEAREST)
    up = _cut_holes(up)
    contours, _ = cv2.findContours(up, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    polygons = []
    for contour in contours:
        if len(contour) < 3:
            continue
        pts = (contour.reshape(-1, 2).astype(np.float64) + 0.5) / 2
        polygons.append([round(float(v), 2) for v in pts.reshape(-1)])
    return polygons


def id_to_rgb(ids: np.ndarray) -> np.ndarray:
    """Panoptic segment ids -> HxWx3 uint8 RGB, id = R + 256 G + 256^2 B (COCO panoptic)."""
    ids = ids.astype(np.int64)
    return np.stack([ids % 256, ids // 256 % 256, ids // 65536 % 256], axis=-1).astype(np.uint8)


def rgb_to_id(rgb: np.ndarray) -> np.ndarray:
    """Inverse of :func:`id_to_rgb`."""
    rgb = rgb.astype(np.int64)
    return rgb[..., 0] + 256 * rgb[..., 1] + 65536 * rgb[..., 2]


def _categories(panoptic: bool) -> List[dict]:
    cats = [dict(id=i + 1, name=name, supercategory='shape', isthing=1,
                 color=list(SHAPES_PALETTE[i])) for i, name in enumerate(SHAPES_THING_CLASSES)]
    if panoptic:
        n = len(SHAPES_THING_CLASSES)
        cats += [dict(id=n + i + 1, name=name, supercategory='background', isthing=0,
                      color=list(SHAPES_PALETTE[n + i])) for i, name in
                 enumerate(SHAPES_STUFF_CLASSES)]
    else:
        for cat in cats:
            del cat['isthing'], cat['color']
    return cats


def _imwrite(path: Path, image: np.ndarray, ext: str, params: Sequence[int] = ()) -> None:
    ok, buf = cv2.imencode(ext, image, list(params))
    if not ok:
        raise RuntimeError(f'OpenCV could not encode {path}')
    path.write_bytes(buf.tobytes())


# ----------------------------------------------------------------------------------------------
# dataset writer

def _normalise_args(num_train: int, num_val: int, size: Union[int, Sequence[int]], seed: int,
                    tasks: Iterable[str], min_objects: int, max_objects: int,
                    size_range: Sequence[float]) -> dict:
    """Validate the arguments and return them in the canonical form stored in the manifest."""
    if isinstance(size, int):
        size = (size, size)
    size = tuple(int(s) for s in size)
    if len(size) == 1:
        size = size * 2
    if len(size) != 2 or min(size) < 16:
        raise ValueError(f'size must be S or (H, W) with both >= 16 pixels, got {size}')
    tasks = sorted(set(tasks))
    bad = [t for t in tasks if t not in TASKS]
    if bad or not tasks:
        raise ValueError(f'tasks must be a non-empty subset of {TASKS}, got {tasks}')
    if num_train < 0 or num_val < 0 or num_train + num_val == 0:
        raise ValueError(f'num_train and num_val must be >= 0 and not both 0, got '
                         f'{num_train} and {num_val}')
    if not 0 <= min_objects <= max_objects:
        raise ValueError(f'need 0 <= min_objects <= max_objects, got {min_objects} and '
                         f'{max_objects}')
    lo, hi = (float(v) for v in size_range)
    if not 0 < lo <= hi <= 1:
        raise ValueError(f'size_range must satisfy 0 < min <= max <= 1 (fractions of the '
                         f'shorter side), got {size_range}')
    return dict(num_train=int(num_train), num_val=int(num_val), size=list(size), seed=int(seed),
                tasks=tasks, min_objects=int(min_objects), max_objects=int(max_objects),
                size_range=[lo, hi])


def scene_rng(seed: int, split: str, index: int) -> np.random.Generator:
    """The generator of image ``index`` of ``split``: independent of the split sizes, so
    asking for more images keeps the first ones unchanged."""
    return np.random.default_rng([int(seed), list(SPLITS).index(split), int(index)])


def _write_split(root: Path, split: str, args: dict) -> Dict[str, int]:
    """Render and write every image and annotation of one split; return per-class counts."""
    coco_tag, ade_dir = SPLITS[split]
    num = args['num_train'] if split == 'train' else args['num_val']
    h, w = args['size']
    tasks = args['tasks']
    coco = root / 'coco'
    ade = root / 'ade' / 'ADEChallengeData2016'
    want_coco = 'instance' in tasks or 'panoptic' in tasks
    if want_coco:
        (coco / coco_tag).mkdir(parents=True, exist_ok=True)
        (coco / 'annotations').mkdir(parents=True, exist_ok=True)
    if 'panoptic' in tasks:
        (coco / 'annotations' / f'panoptic_{coco_tag}').mkdir(parents=True, exist_ok=True)
    if 'semantic' in tasks:
        (ade / 'images' / ade_dir).mkdir(parents=True, exist_ok=True)
        (ade / 'annotations' / ade_dir).mkdir(parents=True, exist_ok=True)

    images, instances, panoptic = [], [], []
    counts = {name: 0 for name in SHAPES_THING_CLASSES}
    n_things = len(SHAPES_THING_CLASSES)
    for index in range(num):
        scene = generate_scene(scene_rng(args['seed'], split, index), h, w, args['min_objects'],
                               args['max_objects'], tuple(args['size_range']))
        image_id = index + 1 + (VAL_ID_OFFSET if split == 'val' else 0)
        stem = f'{image_id:012d}'
        jpg = cv2.imencode('.jpg', cv2.cvtColor(scene.image, cv2.COLOR_RGB2BGR),
                           [cv2.IMWRITE_JPEG_QUALITY, 92])[1].tobytes()
        if want_coco:
            (coco / coco_tag / f'{stem}.jpg').write_bytes(jpg)
            images.append(dict(id=image_id, file_name=f'{stem}.jpg', height=h, width=w))
        for label in scene.thing_labels:
            counts[SHAPES_THING_CLASSES[label]] += 1

        if 'instance' in tasks:
            for label, mask in zip(scene.thing_labels, scene.thing_masks):
                instances.append(dict(
                    id=len(instances) + 1, image_id=image_id, category_id=label + 1,
                    segmentation=mask_to_polygons(mask), area=int(mask.sum()),
                    bbox=mask_to_bbox(mask), iscrowd=0))

        if 'panoptic' in tasks:
            ids = np.zeros((h, w), np.int64)
            segments = []
            for label, mask in zip(scene.thing_labels, scene.thing_masks):
                segments.append((label + 1, mask))
            things = np.zeros((h, w), bool)
            for _, mask in segments:
                things |= mask
            for cls in range(len(SHAPES_STUFF_CLASSES)):
                mask = (scene.stuff == cls) & ~things
                if mask.any():  # stuff is one segment per class, as in COCO panoptic
                    segments.append((n_things + cls + 1, mask))
            infos = []
            for seg_id, (cat_id, mask) in enumerate(segments, start=1):
                ids[mask] = seg_id
                infos.append(dict(id=seg_id, category_id=cat_id, area=int(mask.sum()),
                                  bbox=mask_to_bbox(mask), iscrowd=0))
            _imwrite(coco / 'annotations' / f'panoptic_{coco_tag}' / f'{stem}.png',
                     cv2.cvtColor(id_to_rgb(ids), cv2.COLOR_RGB2BGR), '.png')
            panoptic.append(dict(image_id=image_id, file_name=f'{stem}.png', segments_info=infos))

        if 'semantic' in tasks:
            ade_stem = f'ADE_{split}_{index + 1:08d}'
            (ade / 'images' / ade_dir / f'{ade_stem}.jpg').write_bytes(jpg)
            _imwrite(ade / 'annotations' / ade_dir / f'{ade_stem}.png', scene.semantic_map(),
                     '.png')

    info = dict(description='mmplugins synthetic shapes', version=str(GENERATOR_VERSION),
                year=2017, contributor='mmplugins', date_created='')
    if 'instance' in tasks:
        _dump_json(coco / 'annotations' / f'instances_{coco_tag}.json', dict(
            info=info, licenses=[], images=images, annotations=instances,
            categories=_categories(panoptic=False)))
    if 'panoptic' in tasks:
        _dump_json(coco / 'annotations' / f'panoptic_{coco_tag}.json', dict(
            info=info, licenses=[], images=images, annotations=panoptic,
            categories=_categories(panoptic=True)))
    return counts


def _dump_json(path: Path, obj: dict) -> None:
    path.write_text(json.dumps(obj, separators=(',', ':')))


def read_manifest(root: Union[str, Path]) -> Optional[dict]:
    """The manifest of a generated root, or None when there is none (or it is unreadable)."""
    path = Path(root) / MANIFEST_NAME
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError):
        return None


def expected_files(root: Union[str, Path], args: dict) -> Dict[Path, int]:
    """Files and folders a complete root holds: annotation files map to -1, image/label
    folders to the number of files they must contain."""
    root = Path(root)
    coco, ade = root / 'coco', root / 'ade' / 'ADEChallengeData2016'
    out: Dict[Path, int] = {}
    for split, (coco_tag, ade_dir) in SPLITS.items():
        num = args['num_train'] if split == 'train' else args['num_val']
        if 'instance' in args['tasks'] or 'panoptic' in args['tasks']:
            out[coco / coco_tag] = num
        if 'instance' in args['tasks']:
            out[coco / 'annotations' / f'instances_{coco_tag}.json'] = -1
        if 'panoptic' in args['tasks']:
            out[coco / 'annotations' / f'panoptic_{coco_tag}.json'] = -1
            out[coco / 'annotations' / f'panoptic_{coco_tag}'] = num
        if 'semantic' in args['tasks']:
            out[ade / 'images' / ade_dir] = num
            out[ade / 'annotations' / ade_dir] = num
    return out


def shapes_root_ready(root: Union[str, Path], **expected: object) -> bool:
    """Whether ``root`` holds a complete generated dataset.

    Complete means: the manifest (written last) exists and every file and folder it implies is
    there with the right number of images. Keyword arguments (e.g. ``num_train=400``,
    ``tasks=['instance']``) must also match the manifest; ``tasks`` is satisfied by a superset.
    """
    manifest = read_manifest(root)
    if manifest is None or manifest.get('version') != GENERATOR_VERSION:
        return False
    args = manifest.get('args', {})
    for key, value in expected.items():
        if key == 'tasks':
            if not set(value).issubset(args.get('tasks', ())):
                return False
        elif key == 'size':
            value = [value, value] if isinstance(value, int) else list(value)
            if args.get('size') != (value * 2 if len(value) == 1 else value):
                return False
        elif args.get(key) != value:
            return False
    try:
        for path, count in expected_files(root, args).items():
            if count < 0 and not path.is_file():
                return False
            if count >= 0 and (not path.is_dir() or len(os.listdir(path)) != count):
                return False
    except (KeyError, TypeError):
        return False
    return True


def _is_replaceable(root: Path) -> bool:
    """Only a folder this generator could have written (or an empty one) is ever replaced."""
    return set(os.listdir(root)) <= {'coco', 'ade', MANIFEST_NAME}


def generate_shapes_dataset(out: Union[str, Path] = 'data/shapes', num_train: int = 400,
                            num_val: int = 100, size: Union[int, Sequence[int]] = 128,
                            seed: int = 0, tasks: Iterable[str] = TASKS, min_objects: int = 1,
                            max_objects: int = 6,
                            size_range: Sequence[float] = (0.15, 0.5),
                            force: bool = False) -> dict:
    """Write the shapes dataset under ``out`` unless it is already complete for these arguments.

    The data is rendered into a temporary sibling folder and renamed onto ``out`` at the end,
    with the manifest written last, so an interrupted run never leaves a root that looks
    complete. An existing ``out`` is replaced only when it holds nothing but a previous output.

    Args:
        out: the root; COCO goes to ``out/coco``, ADE20K to ``out/ade/ADEChallengeData2016``.
        num_train, num_val: images per split.
        size: ``S`` or ``(H, W)``.
        seed: the seed of every image's generator.
        tasks: any of ``'instance'``, ``'panoptic'``, ``'semantic'``.
        min_objects, max_objects: objects drawn per image (inclusive range).
        size_range: object diameter as fractions of the shorter image side.
        force: regenerate even when the root is up to date.

    Returns:
        The manifest: ``version``, ``args`` and ``counts`` (images per split and instances per
        class per split), plus ``up_to_date`` telling whether anything was written.
    """
    args = _normalise_args(num_train, num_val, size, seed, tasks, min_objects, max_objects,
                           size_range)
    root = Path(out)
    if not force and shapes_root_ready(root, **args):
        manifest = read_manifest(root)
        return dict(manifest, up_to_date=True)
    if root.exists() and not (root.is_dir() and _is_replaceable(root)):
        raise FileExistsError(
            f'{root} exists and holds files this generator did not write; refusing to replace it '
            f'(choose another --out or empty it)')

    root.parent.mkdir(parents=True, exist_ok=True)
    _remove_stale_temps(root)
    tmp = root.parent / f'.{root.name}.tmp-{os.getpid()}'
    if tmp.exists():
        shutil.rmtree(tmp)
    tmp.mkdir()
    try:
        counts = {}
        for split in SPLITS:
            counts[split] = dict(images=args[f'num_{split}'],
                                 instances=_write_split(tmp, split, args))
        manifest = dict(generator='mmplugins.datasets.shapes', version=GENERATOR_VERSION,
                        args=args, counts=counts)
        (tmp / MANIFEST_NAME).write_text(json.dumps(manifest, indent=1, sort_keys=True))
        if root.exists():
            old = root.parent / f'.{root.name}.old-{os.getpid()}'
            os.rename(root, old)
            os.rename(tmp, root)
            shutil.rmtree(old)
        else:
            os.rename(tmp, root)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return dict(manifest, up_to_date=False)


def _remove_stale_temps(root: Path) -> None:
    """Delete temporary folders left by interrupted runs whose process is gone."""
    for prefix in (f'.{root.name}.tmp-', f'.{root.name}.old-'):
        for path in root.parent.glob(prefix + '*'):
            pid = path.name[len(prefix):]
            if pid.isdigit() and int(pid) != os.getpid() and not _pid_alive(int(pid)):
                shutil.rmtree(path, ignore_errors=True)


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def summary_line(manifest: dict) -> str:
    """One line: images per split, size, and instances per class (train/val)."""
    args, counts = manifest['args'], manifest['counts']
    per_class = ', '.join(
        f'{name}={counts["train"]["instances"][name]}/{counts["val"]["instances"][name]}'
        for name in SHAPES_THING_CLASSES)
    total = [sum(counts[s]['instances'].values()) for s in SPLITS]
    return (f'shapes: {counts["train"]["images"]} train + {counts["val"]["images"]} val images '
            f'{args["size"][0]}x{args["size"][1]}, tasks {"/".join(args["tasks"])}; instances '
            f'train/val {total[0]}/{total[1]} ({per_class})')
