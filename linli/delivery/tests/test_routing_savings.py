"""Consolidation vs shop-by-shop on a clustered neighbourhood."""

from __future__ import annotations

from linli.delivery.routing.savings import G_CO2_PER_KM, demo_day, savings


def test_consolidated_distance_below_shop_by_shop() -> None:
    day = demo_day(n_orders=60, n_shops=4, n_compounds=4, size_m=2000, seed=5)
    assert sum(len(p.stops) for p in day.by_shop.values()) >= len(day.consolidated.stops)
    result = savings(day.by_shop, day.consolidated, seconds=0.6, collection=day.collection)
    assert result.shop_by_shop.unplanned == 0 and result.consolidated.unplanned == 0
    assert result.collection is not None and result.collection.vehicle_km > 0
    assert result.consolidated.vehicle_km < result.shop_by_shop.vehicle_km
    assert 0 < result.km_ratio < 1
    assert result.consolidated.kg_co2 < result.shop_by_shop.kg_co2
    assert G_CO2_PER_KM["e-trike"] < G_CO2_PER_KM["van"] < G_CO2_PER_KM["refrigerated van"]
