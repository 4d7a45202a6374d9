from .warmup_poly import TF2WarmupPolyLR

__all__ = ['TF2WarmupPolyLR']
