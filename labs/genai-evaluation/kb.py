"""The knowledge base and evaluation set of the genai-evaluation lab (a fictional bike-rental shop; our own text)."""
from __future__ import annotations

#: id -> (title, text)
FAQ: dict[str, tuple[str, str]] = {
    "hours": ("Opening hours",
              "The shop opens at 8 am and closes at 7 pm from April to October. In winter it closes at 5 pm. "
              "On public holidays the shop opens at 10 am."),
    "prices": ("Prices",
               "A city bike costs 15 per day and an e-bike costs 35 per day. Weekly rentals get the seventh day free. "
               "Children's bikes are half price."),
    "deposit": ("Deposit",
                "We hold a deposit of 100 on your card for every bike. The deposit is released within three working days "
                "after you return the bike undamaged."),
    "helmets": ("Helmets and locks",
                "Every rental includes a helmet and a lock at no extra cost. Child seats can be added for 5 per day."),
    "damage": ("Damage and theft",
               "Report damage or theft at once by phone. Minor damage is covered by the rental fee. "
               "If a bike is stolen because it was not locked, the deposit is kept."),
    "booking": ("Booking",
                "You can book online up to sixty days ahead. Bookings can be cancelled free of charge until 24 hours "
                "before pick-up. Later cancellations cost one day's rent."),
    "ebike-range": ("E-bike batteries",
                    "A fully charged e-bike battery lasts about 80 kilometres on flat roads. Chargers are not included, "
                    "but you can swap a battery at the shop for free."),
    "tours": ("Guided tours",
              "Guided river tours leave every Saturday at 10 am and take three hours. The tour price of 25 includes "
              "the bike and a coffee stop."),
}

#: evaluation lines: id, question, ground truth written by a person, id of the FAQ entry that answers it
EVAL: list[tuple[str, str, str, str]] = [
    ("q01", "When does the shop close in summer?", "In summer the shop closes at 7 pm.", "hours"),
    ("q02", "How much is an e-bike for one day?", "An e-bike costs 35 per day.", "prices"),
    ("q03", "How long until my deposit is released?", "The deposit is released within three working days after return.", "deposit"),
    ("q04", "Do I have to pay for a helmet?", "No, a helmet and a lock are included in every rental.", "helmets"),
    ("q05", "What happens if my unlocked bike is stolen?", "If the bike was not locked when stolen, the deposit is kept.", "damage"),
    ("q06", "Until when can I cancel a booking for free?", "You can cancel for free until 24 hours before pick-up.", "booking"),
    ("q07", "How far does an e-bike battery last?", "About 80 kilometres on flat roads.", "ebike-range"),
    ("q08", "When do the guided river tours leave?", "Guided river tours leave every Saturday at 10 am.", "tours"),
    ("q09", "Are children's bikes cheaper?", "Yes, children's bikes are half price.", "prices"),
    ("q10", "Can I swap an empty battery?", "Yes, you can swap a battery at the shop for free.", "ebike-range"),
    ("q11", "How far ahead can I book online?", "You can book online up to sixty days ahead.", "booking"),
    ("q12", "What does the guided tour price include?", "The tour price includes the bike and a coffee stop.", "tours"),
]

VARIANTS = ("variant_0", "variant_1")


def sentences_of_kb() -> set[str]:
    import re

    return {s.strip() for _, text in FAQ.values() for s in re.split(r"(?<=[.!?])\s+", text) if s.strip()}
