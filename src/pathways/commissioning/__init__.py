"""The bidders portal and the contracting cycle: opportunities, interest, consortia, sealed bids,
panels, evaluation, awards and contracts, run by a neutral bidding agency."""
