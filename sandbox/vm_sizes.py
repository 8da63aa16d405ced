"""A catalogue of real Azure VM sizes that Azure ML compute accepts (figures as Azure lists them)."""
from __future__ import annotations

import difflib
from dataclasses import dataclass

from sandbox.errors import InvalidInput


@dataclass(frozen=True)
class VmSize:
    name: str
    family: str
    v_cpus: int
    memory_gb: float
    gpus: int = 0
    gpu_type: str | None = None
    max_resource_volume_mb: int = 0
    low_priority_capable: bool = True
    premium_io: bool = False

    @property
    def is_gpu(self) -> bool:
        return self.gpus > 0


def _s(name: str, family: str, cpus: int, mem: float, gpus: int = 0, gpu_type: str | None = None,
       disk_mb: int | None = None, premium: bool = False) -> VmSize:
    return VmSize(name, family, cpus, mem, gpus, gpu_type, disk_mb if disk_mb is not None else cpus * 14336,
                  True, premium)


SIZES: tuple[VmSize, ...] = (
    # general purpose
    _s("Standard_DS1_v2", "standardDSv2Family", 1, 3.5, disk_mb=7168, premium=True),
    _s("Standard_DS2_v2", "standardDSv2Family", 2, 7, disk_mb=14336, premium=True),
    _s("Standard_DS3_v2", "standardDSv2Family", 4, 14, disk_mb=28672, premium=True),
    _s("Standard_DS4_v2", "standardDSv2Family", 8, 28, disk_mb=57344, premium=True),
    _s("Standard_DS5_v2", "standardDSv2Family", 16, 56, disk_mb=114688, premium=True),
    _s("Standard_D2_v2", "standardDv2Family", 2, 7, disk_mb=102400),
    _s("Standard_D3_v2", "standardDv2Family", 4, 14, disk_mb=204800),
    _s("Standard_D2_v3", "standardDv3Family", 2, 8, disk_mb=51200),
    _s("Standard_D4_v3", "standardDv3Family", 4, 16, disk_mb=102400),
    _s("Standard_D8_v3", "standardDv3Family", 8, 32, disk_mb=204800),
    _s("Standard_D16_v3", "standardDv3Family", 16, 64, disk_mb=409600),
    _s("Standard_D2s_v3", "standardDSv3Family", 2, 8, disk_mb=16384, premium=True),
    _s("Standard_D4s_v3", "standardDSv3Family", 4, 16, disk_mb=32768, premium=True),
    _s("Standard_D8s_v3", "standardDSv3Family", 8, 32, disk_mb=65536, premium=True),
    _s("Standard_D2as_v4", "standardDASv4Family", 2, 8, disk_mb=16384, premium=True),
    _s("Standard_D4as_v4", "standardDASv4Family", 4, 16, disk_mb=32768, premium=True),
    _s("Standard_D2ds_v4", "standardDDSv4Family", 2, 8, disk_mb=76800, premium=True),
    _s("Standard_D4ds_v4", "standardDDSv4Family", 4, 16, disk_mb=153600, premium=True),
    # memory optimised
    _s("Standard_DS11_v2", "standardDSv2Family", 2, 14, disk_mb=28672, premium=True),
    _s("Standard_DS12_v2", "standardDSv2Family", 4, 28, disk_mb=57344, premium=True),
    _s("Standard_DS13_v2", "standardDSv2Family", 8, 56, disk_mb=114688, premium=True),
    _s("Standard_DS14_v2", "standardDSv2Family", 16, 112, disk_mb=229376, premium=True),
    _s("Standard_E4s_v3", "standardESv3Family", 4, 32, disk_mb=65536, premium=True),
    _s("Standard_E4ds_v4", "standardEDSv4Family", 4, 32, disk_mb=153600, premium=True),
    _s("Standard_E8ds_v4", "standardEDSv4Family", 8, 64, disk_mb=307200, premium=True),
    # compute optimised
    _s("Standard_F2s_v2", "standardFSv2Family", 2, 4, disk_mb=16384, premium=True),
    _s("Standard_F4s_v2", "standardFSv2Family", 4, 8, disk_mb=32768, premium=True),
    _s("Standard_F8s_v2", "standardFSv2Family", 8, 16, disk_mb=65536, premium=True),
    # GPU
    _s("Standard_NC6", "standardNCFamily", 6, 56, 1, "K80", disk_mb=389120),
    _s("Standard_NC12", "standardNCFamily", 12, 112, 2, "K80", disk_mb=696320),
    _s("Standard_NC24", "standardNCFamily", 24, 224, 4, "K80", disk_mb=1474560),
    _s("Standard_NC6s_v3", "standardNCSv3Family", 6, 112, 1, "V100", disk_mb=344064, premium=True),
    _s("Standard_NC12s_v3", "standardNCSv3Family", 12, 224, 2, "V100", disk_mb=688128, premium=True),
    _s("Standard_NC24s_v3", "standardNCSv3Family", 24, 448, 4, "V100", disk_mb=1376256, premium=True),
    _s("Standard_NC4as_T4_v3", "standardNCASv3_T4Family", 4, 28, 1, "T4", disk_mb=180224, premium=True),
    _s("Standard_NC8as_T4_v3", "standardNCASv3_T4Family", 8, 56, 1, "T4", disk_mb=360448, premium=True),
    _s("Standard_NC16as_T4_v3", "standardNCASv3_T4Family", 16, 110, 1, "T4", disk_mb=360448, premium=True),
    _s("Standard_NC64as_T4_v3", "standardNCASv3_T4Family", 64, 440, 4, "T4", disk_mb=2883584, premium=True),
    _s("Standard_NC24ads_A100_v4", "StandardNCADSA100v4Family", 24, 220, 1, "A100", disk_mb=65536, premium=True),
    _s("Standard_NV6", "standardNVFamily", 6, 56, 1, "M60", disk_mb=389120),
    _s("Standard_ND40rs_v2", "standardNDSv2Family", 40, 672, 8, "V100", disk_mb=2969600, premium=True),
)

_BY_KEY = {s.name.lower(): s for s in SIZES}


def all_sizes() -> list[VmSize]:
    return list(SIZES)


def find(name: str | None) -> VmSize | None:
    if not isinstance(name, str):
        return None
    return _BY_KEY.get(name.strip().lower())


def lookup(name: str | None) -> VmSize:
    """The catalogue entry for a size name (any letter case), or InvalidInput naming close valid sizes."""
    size = find(name)
    if size is not None:
        return size
    raise InvalidInput(
        f"VM size {name!r} is not supported in this region. Close matches: {', '.join(close_matches(name))}. "
        "List every size with AmlCompute.supported_vmsizes(ws) (v1) or ml_client.compute.list_sizes() (v2)."
    )


def close_matches(name: object, count: int = 5) -> list[str]:
    key = str(name or "").strip().lower()
    if key and not key.startswith("standard_"):
        key = "standard_" + key
    keys = list(_BY_KEY)
    found = difflib.get_close_matches(key, keys, n=count, cutoff=0.6)
    if not found and key:
        stem = key.split("_")[1] if "_" in key else key
        found = [k for k in keys if stem[:2] and k.split("_")[1].startswith(stem[:2])][:count]
    if not found:
        found = ["standard_ds11_v2", "standard_ds3_v2", "standard_d4s_v3", "standard_nc6s_v3"]
    return [_BY_KEY[k].name for k in found]
