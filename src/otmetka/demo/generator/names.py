"""Names of generated people: surnames and patronymics by gender, logins in Latin letters."""

from otmetka.demo import data
from otmetka.people.models import Gender


def surname_for(surname: str, gender: str) -> str:
    """The surname in the form for this gender: Иванов → Иванова, Островский → Островская."""
    if gender == Gender.MALE:
        return surname
    if surname.endswith(("ов", "ев", "ёв", "ин", "ын")):
        return surname + "а"
    if surname.endswith(("ский", "цкий", "ой")):
        return surname[:-2] + "ая"
    return surname  # Шевченко, Ковальчук: the same for both


def patronymic_for(father: str, gender: str) -> str:
    """The patronymic from the father's name: Сергей → Сергеевич / Сергеевна."""
    if father in data.PATRONYMIC_EXCEPTIONS:
        male, female = data.PATRONYMIC_EXCEPTIONS[father]
    elif father.endswith("ий"):
        male, female = father[:-2] + "ьевич", father[:-2] + "ьевна"
    elif father.endswith(("ей", "ай", "ь")):
        male, female = father[:-1] + "евич", father[:-1] + "евна"
    else:
        male, female = father + "ович", father + "овна"
    return male if gender == Gender.MALE else female


def translit(text: str) -> str:
    """Letters only, Latin: Щербакова → shcherbakova (for logins)."""
    return "".join(data.TRANSLIT.get(ch, ch) for ch in text.lower() if ch.isalpha())
