"""Errors of the community app: OSM import, street network and the resident's home point."""

from __future__ import annotations

from linli.core.errors import ErrorCodes, ErrorSpec, LinliError


class CommunityErrorCode(ErrorCodes):
    OSM_MISSING = ErrorSpec(
        "osm_missing", 400, "找不到 OSM 文件：{detail}", "OSM file not found: {detail}"
    )
    OSM_UNREADABLE = ErrorSpec(
        "osm_unreadable",
        400,
        "无法读取 OSM 文件（文件损坏或格式不对）：{detail}",
        "Cannot read the OSM file (corrupt or wrong format): {detail}",
    )
    OSM_EMPTY = ErrorSpec(
        "osm_empty",
        400,
        "OSM 文件中没有任何数据：{detail}",
        "The OSM file contains no data: {detail}",
    )
    NO_WALKABLE_WAYS = ErrorSpec(
        "no_walkable_ways",
        400,
        "OSM 文件中没有可步行的道路：{detail}",
        "The OSM file has no walkable ways: {detail}",
    )
    NETWORK_MISSING = ErrorSpec(
        "network_missing",
        409,
        "该社区尚未导入街道路网，请先运行 import-osm",
        "This community has no street network yet: run import-osm first",
    )
    NO_HOUSEHOLD = ErrorSpec(
        "no_household",
        409,
        "您还没有登记住址，无法计算步行距离",
        "You have no registered home, so walking times cannot be computed",
    )
    HOME_OFF_NETWORK = ErrorSpec(
        "home_off_network",
        409,
        "您的住址附近没有可步行的道路：{detail}",
        "No walkable way near your home: {detail}",
    )


class CommunityError(LinliError):
    pass


def from_reach_error(exc: Exception) -> CommunityError:
    """Translate the pure engine's `ReachError` into the app's coded error (same wording)."""
    code = getattr(exc, "code", "")
    detail = getattr(exc, "detail", str(exc))
    mapping = {
        "osm_missing": CommunityErrorCode.OSM_MISSING,
        "osm_unreadable": CommunityErrorCode.OSM_UNREADABLE,
        "osm_empty": CommunityErrorCode.OSM_EMPTY,
        "no_walkable_ways": CommunityErrorCode.NO_WALKABLE_WAYS,
        "point_off_network": CommunityErrorCode.HOME_OFF_NETWORK,
    }
    return CommunityError(mapping.get(code, CommunityErrorCode.OSM_UNREADABLE), detail=detail)
