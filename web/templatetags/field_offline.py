"""``{% offline_account %}``: the name the agent's phone keeps this account's pages and queue under
(``web.field.offline.account_key``), for the offline status box every agent page carries."""

from django import template

from web.field.offline import account_key

register = template.Library()


@register.simple_tag(takes_context=True)
def offline_account(context):
    return account_key(context["request"].user)
