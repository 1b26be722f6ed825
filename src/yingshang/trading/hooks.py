"""Extension points between the parts of the trading app, so one part reacts to another's event without
importing it (the bond refunds follow the contract; the archive collects every part's documents)."""

from yingshang.kernel.hooks import Hook

CONTRACT_SIGNED = Hook("trading.contract_signed", "A lot's contract was signed: handlers get lot=, signed_on= "
                       "(bond refunds with interest fall due within 5 days, REG Art. 57).")
BIDS_OPENED = Hook("trading.bids_opened", "A lot was opened: handlers get lot= (the bids now have prices).")
LOT_CLOSED = Hook("trading.lot_closed", "A lot failed or was terminated: handlers get lot=, reason= (bonds are "
                  "refunded within 5 days, REG Art. 35/57).")
ARCHIVE_DOCUMENTS = Hook("trading.archive_documents", "Collect a lot's documents for its archive: handlers get "
                         "lot= and return a list of (title, sha256, kernel document id or None).")
TIMED = Hook("trading.timed", "The sweep found the lot due (next_check passed): handlers get lot= (locked), now=, "
             "act on what fell due (open at the deadline, end a publicity, mark an answer overdue …) and return the "
             "names of what they did.")
NEXT_MOMENTS = Hook("trading.next_moments", "Handlers get lot=, now= and return the moments after now when "
                    "something timed happens to the lot in their part (an objection answer due, a decryption "
                    "window's end …); the lot's next_check is the earliest of these and the lot's own periods.")

BID_WITHDRAWN = Hook("trading.bid_withdrawn", "A bid was withdrawn before the deadline: handlers get lot=, uscc= "
                     "(the bond is refunded within 5 days of the withdrawal notice, REG Art. 35).")

BID_NOT_DECRYPTED = Hook("trading.bid_not_decrypted", "A bid was not decrypted at the opening (电子招标投标办法 Art. 31): "
                         "handlers get bid=, fault= ('bidder': revoked, the bond may be kept as the documents say; "
                         "'other': withdrawn, the bond is refunded), reason=.")
