"""Procurement (layer 5): suppliers and farm bases, purchase orders and receiving into lots,
traceability and recall, joint procurement (联合采购) rounds, chains and franchises."""
