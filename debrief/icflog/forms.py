from __future__ import annotations

from decimal import Decimal

from django import forms


def _hours_field(label: str) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        min_value=Decimal(0),
        max_digits=8,
        decimal_places=2,
        error_messages={
            "required": "Enter a number of hours, or 0 if you have none.",
            "invalid": "Enter hours as a number, such as 12 or 12.5.",
            "min_value": "Hours cannot be negative. Enter 0 or more.",
            "max_digits": "That is more hours than Debrief can record. Check the number.",
            "max_whole_digits": "That is more hours than Debrief can record. Check the number.",
            "max_decimal_places": "Use at most two decimal places, such as 12.25.",
        },
    )


class OpeningBalanceForm(forms.Form):
    paid_hours = _hours_field("Paid hours before Debrief")
    pro_bono_hours = _hours_field("Pro bono hours before Debrief")
    clients = forms.IntegerField(
        label="Clients before Debrief",
        min_value=0,
        max_value=100_000,
        error_messages={
            "required": "Enter a number of clients, or 0 if you have none.",
            "invalid": "Enter the number of clients as a whole number, such as 8.",
            "min_value": "The number of clients cannot be negative. Enter 0 or more.",
            "max_value": "That is more clients than Debrief can record. Check the number.",
        },
    )
