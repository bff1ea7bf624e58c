// Realistic values by property name: `email`, `firstName`, `city`, `price`, `createdAt`… Decided once per property
// when a schema is compiled. With intelligenceMock the description and title count too ("ISO country code", "status
// of the order"), and so does the object a bare `name` belongs to (a Pet's name, a Company's name).
import type { Faker } from '@faker-js/faker';

export type StringMaker = (faker: Faker) => string;
export type NumberMaker = (faker: Faker) => number;

export interface NameHint {
  /** The property name (for array items, the array's name made singular). */
  readonly name?: string | undefined;
  /** The schema the property belongs to: its component name, or the property holding it. */
  readonly parent?: string | undefined;
  readonly description?: string | undefined;
  readonly intelligence: boolean;
}

/** `createdAt` → ['created', 'at']; `photo_urls` → ['photo', 'urls']. */
export function tokensOf(name: string): string[] {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase().split(/[^a-z0-9]+/).filter((t) => t !== '');
}

/** The name an array's items get: `photoUrls` → `photoUrl`, `categories` → `category`. */
export function singular(name: string | undefined): string | undefined {
  if (name === undefined) return undefined;
  if (/ies$/.test(name)) return name.replace(/ies$/, 'y');
  if (/(ss|us|is)$/.test(name)) return name;
  if (/(ches|shes|xes|sses)$/.test(name)) return name.replace(/es$/, '');
  return name.replace(/s$/, '');
}

const words = (faker: Faker, min: number, max: number): string => faker.lorem.words({ min, max });
const isoDate = (date: Date): string => date.toISOString();
const ORDER_STATUSES = ['placed', 'approved', 'shipped', 'delivered', 'cancelled'];
const STATUSES = ['active', 'pending', 'inactive', 'completed', 'cancelled'];

/**
 * Rules on the name's lower-cased words joined by `_` (`first_name`, `created_at`, `email`): `_?` lets `firstname`
 * and `first_name` match alike, and `(^|_)` keeps suffix rules to whole words (`city`, not `ethnicity`). First wins.
 */

// faker's image.url() builds its URL the slow way, and an image URL is in most answers that have one
const imageUrl: StringMaker = (f) => `https://picsum.photos/seed/${f.string.alphanumeric(10)}/640/480`;
const STRING_BY_NAME: ReadonlyArray<readonly [RegExp, StringMaker]> = [
  [/(^|_)e_?mail(_?address)?$|^mail$/, (f) => f.internet.email()],
  [/^(first|given|fore)_?name$/, (f) => f.person.firstName()],
  [/^(last|sur|family)_?name$/, (f) => f.person.lastName()],
  [/^middle_?name$/, (f) => f.person.middleName()],
  [/^(full|display|contact|customer|author|owner|person|real)_?name$/, (f) => f.person.fullName()],
  [/^(user_?name|user_?handle|login|nick_?name|handle|screen_?name)$/, (f) => f.internet.username()],
  [/(^|_)(password|passwd|passphrase)$/, (f) => f.internet.password()],
  [/(^|_)(phone|mobile|cell_?phone|tele_?phone|fax|tel)(_?number)?$/, (f) => f.phone.number()],
  [/(^|_)(city|town)(_?name)?$/, (f) => f.location.city()],
  [/(^|_)country_?(iso_?)?(alpha_?2_?)?code$|^iso_?country$/, (f) => f.location.countryCode()],
  [/^(country|country_?name|nationality)$/, (f) => f.location.country()],
  [/^(province|region|county|state_?name)$/, (f) => f.location.state()],
  [/(^|_)(zip|zip_?code|post_?code|postal_?code)$/, (f) => f.location.zipCode()],
  [/^(street|street_?address|street_?name|address|address_?line_?\d?|address_?\d|addr)$/, (f) => f.location.streetAddress()],
  [/^(lat|latitude)$/, (f) => String(f.location.latitude())],
  [/^(lng|lon|long|longitude)$/, (f) => String(f.location.longitude())],
  [/(^|_)time_?zone$|^tz$/, (f) => f.location.timeZone()],
  [/(^|_)(avatar|photo|image|picture|thumbnail|logo|icon)(_?(url|uri|link))?$/, imageUrl],
  [/(^|_)(url|uri|website|web_?site|homepage|home_?page|link|href)$/, (f) => f.internet.url()],
  [/^(company|company_?name|organi[sz]ation|employer|business|business_?name)$/, (f) => f.company.name()],
  [/^(job_?title|occupation|profession|position)$/, (f) => f.person.jobTitle()],
  [/^(title|headline|subject|caption)$/, (f) => f.lorem.sentence({ min: 3, max: 6 }).replace(/\.$/, '')],
  [/(^|_)(description|summary|comment|bio|about|notes?|message|text|body|content|details|remarks?)$/, (f) => f.lorem.sentence()],
  [/^(currency|currency_?code)$/, (f) => f.finance.currencyCode()],
  [/(^|_)iban$/, (f) => f.finance.iban()],
  [/^(bic|swift|swift_?code)$/, (f) => f.finance.bic()],
  [/(^|_)(credit_?card|card_?number|cc_?number)$/, (f) => f.finance.creditCardNumber()],
  [/^(ip|ip_?address|ipv4|ip_?v4|remote_?ip|client_?ip)$/, (f) => f.internet.ipv4()],
  [/^ip_?v6$/, (f) => f.internet.ipv6()],
  [/^(mac|mac_?address)$/, (f) => f.internet.mac()],
  [/^(color|colour)$/, (f) => f.color.human()],
  [/^(gender|sex)$/, (f) => f.person.sex()],
  [/^(language|lang)$/, (f) => f.location.language().name],
  [/^(locale|language_?code|lang_?code)$/, (f) => f.location.language().alpha2],
  [/(^|_)slug$/, (f) => f.lorem.slug()],
  [/^(version|semver)$/, (f) => f.system.semver()],
  [/^(file_?name|file)$/, (f) => f.system.fileName()],
  [/^(mime_?type|content_?type|media_?type)$/, (f) => f.system.mimeType()],
  [/(^|_)(token|api_?key|secret|hash|checksum|signature)$/, (f) => f.string.alphanumeric(32)],
  [/^(sku|product_?code|item_?code)$/, (f) => f.string.alphanumeric({ length: 8, casing: 'upper' })],
  [/^isbn$/, (f) => f.commerce.isbn()],
  [/^(product|product_?name|item_?name)$/, (f) => f.commerce.productName()],
  [/^(department|category_?name)$/, (f) => f.commerce.department()],
  [/^(tag|keyword|label)$/, (f) => f.lorem.word()],
  [/(^|_)(uuid|guid)$/, (f) => f.string.uuid()],
  [/^(birth_?date|date_?of_?birth|dob|birth_?day)$/, (f) => isoDate(f.date.birthdate()).slice(0, 10)],
  [/(^|_)(created|updated|modified|deleted|published|registered|last_?login|last_?seen)(_?(at|on|date|time))?$/, (f) => isoDate(f.date.past())],
  [/(^|_)(expires?|expiry|expiration|due|deadline|scheduled|starts?|ends?)(_?(at|on|date|time))?$/, (f) => isoDate(f.date.soon({ days: 60 }))],
  [/(^|_)(timestamp|date_?time|date|time)$|_at$/, (f) => isoDate(f.date.recent({ days: 30 }))],
];

/** What a bare `name` (or `<thing>Name`) holds, by the object it belongs to. */
const NAME_BY_OWNER: ReadonlyArray<readonly [RegExp, StringMaker]> = [
  [/(^|_)(category|categories|department|section)(_|$)/, (f) => f.commerce.department()],
  [/(^|_)(pet|animal|dog|cat|puppy|kitten)s?(_|$)/, (f) => f.animal.petName()],
  [/(^|_)(user|person|customer|owner|author|employee|member|contact|account|people|client|patient|student|teacher)s?(_|$)/, (f) => f.person.fullName()],
  [/(^|_)(company|organi[sz]ation|org|business|vendor|supplier|brand|manufacturer)s?(_|$)/, (f) => f.company.name()],
  [/(^|_)(product|item|article|goods|book)s?(_|$)/, (f) => f.commerce.productName()],
  [/(^|_)(city|town)(_|$)/, (f) => f.location.city()],
  [/(^|_)country(_|$)/, (f) => f.location.country()],
  [/(^|_)street(_|$)/, (f) => f.location.street()],
  [/(^|_)(tag|label|keyword)s?(_|$)/, (f) => f.lorem.word()],
  [/(^|_)(file|document|attachment)s?(_|$)/, (f) => f.system.fileName()],
  [/(^|_)(team|group|project)s?(_|$)/, (f) => `${f.word.adjective()} ${f.word.noun()}`],
];

/** With intelligenceMock: words of a description or title that say what a string holds. */
const STRING_BY_DESCRIPTION: ReadonlyArray<readonly [RegExp, StringMaker]> = [
  [/\b(iso[ -]?3166|country code|alpha-?2)\b/, (f) => f.location.countryCode()],
  [/\b(iso[ -]?4217|currency)\b/, (f) => f.finance.currencyCode()],
  [/\b(iso[ -]?639|language code)\b/, (f) => f.location.language().alpha2],
  [/\be-?mail\b/, (f) => f.internet.email()],
  [/\b(phone|telephone|mobile number)\b/, (f) => f.phone.number()],
  [/\bfirst name\b|\bgiven name\b/, (f) => f.person.firstName()],
  [/\blast name\b|\bsurname\b|\bfamily name\b/, (f) => f.person.lastName()],
  [/\b(full name|person'?s name|name of the (person|user|customer))\b/, (f) => f.person.fullName()],
  [/\bcompany\b|\borgani[sz]ation\b/, (f) => f.company.name()],
  [/\bcity\b/, (f) => f.location.city()],
  [/\b(postal|zip) ?code\b/, (f) => f.location.zipCode()],
  [/\b(street|postal) address\b|\baddress line\b/, (f) => f.location.streetAddress()],
  [/\bcountry\b/, (f) => f.location.country()],
  [/\b(uuid|guid)\b/, (f) => f.string.uuid()],
  [/\bip(v4)? address\b/, (f) => f.internet.ipv4()],
  [/\b(url|link|web ?site|homepage)\b/, (f) => f.internet.url()],
  [/\bhex(adecimal)? colou?r\b/, (f) => f.color.rgb()],
  [/\bcolou?r\b/, (f) => f.color.human()],
  [/\b(iso[ -]?8601|timestamp|date and time|date-time)\b/, (f) => isoDate(f.date.recent({ days: 30 }))],
  [/\bstatus of (the |an? )?(order|purchase|shipment|delivery)\b|\border status\b/, (f) => f.helpers.arrayElement(ORDER_STATUSES)],
  [/\bstatus\b|\bstate of\b/, (f) => f.helpers.arrayElement(STATUSES)],
  [/\b(description|summary|comment|note)\b/, (f) => f.lorem.sentence()],
];

/** The maker for a string property, or undefined when its name says nothing. */
export function stringMaker(hint: NameHint): StringMaker | undefined {
  const key = tokensOf(hint.name ?? '').join('_');
  if (key !== '') {
    const byName = STRING_BY_NAME.find(([re]) => re.test(key))?.[1];
    if (byName !== undefined) return byName;
    if (/(^|_)name$/.test(key)) {
      const owner = key === 'name' ? tokensOf(hint.parent ?? '').join('_') : key.replace(/_?name$/, '');
      const byOwner = NAME_BY_OWNER.find(([re]) => re.test(owner))?.[1];
      if (byOwner !== undefined) return byOwner;
      if (key === 'name') return hint.intelligence ? (f) => f.person.fullName() : (f) => capitalize(words(f, 1, 2));
    }
  }
  if (!hint.intelligence) return undefined;
  const text = hint.description?.toLowerCase();
  if (text !== undefined) {
    const byText = STRING_BY_DESCRIPTION.find(([re]) => re.test(text))?.[1];
    if (byText !== undefined) return byText;
  }
  if (/(^|_)(status|state)$/.test(key)) {
    return /order|purchase|shipment|delivery/.test(`${key} ${tokensOf(hint.parent ?? '').join('_')}`)
      ? (f) => f.helpers.arrayElement(ORDER_STATUSES) : (f) => f.helpers.arrayElement(STATUSES);
  }
  if (/(^|_)(code|ref|reference|number)$/.test(key)) return (f) => f.string.alphanumeric({ length: 8, casing: 'upper' });
  return (f) => words(f, 1, 3);
}

const between = (min: number, max: number, fractionDigits = 0): NumberMaker =>
  (f) => (fractionDigits === 0 ? f.number.int({ min, max }) : f.number.float({ min, max, fractionDigits }));

/** Rules on the name's words joined by `_` (as STRING_BY_NAME), for numbers and integers. */
const NUMBER_BY_NAME: ReadonlyArray<readonly [RegExp, NumberMaker]> = [
  [/(^|_)(price|amount|cost|total|sub_?total|balance|salary|fee|tax|discount|revenue|budget)$/, between(1, 1000, 2)],
  [/^age$/, between(18, 90)],
  [/(^|_)year$/, between(1990, 2030)],
  [/^month$/, between(1, 12)],
  [/^(day|day_?of_?month)$/, between(1, 28)],
  [/^hours?$/, between(0, 23)],
  [/^(minutes?|seconds?)$/, between(0, 59)],
  [/(^|_)(quantity|qty|count|stock|inventory)$|^number_?of_/, between(1, 100)],
  [/(^|_)(rating|stars)$/, between(1, 5)],
  [/(^|_)(percent|percentage|pct)$/, between(0, 100)],
  [/^(lat|latitude)$/, between(-90, 90, 6)],
  [/^(lng|lon|long|longitude)$/, between(-180, 180, 6)],
  [/(^|_)port$/, between(1024, 65535)],
  [/^(page|page_?number)$/, between(1, 10)],
  [/^(size|limit|page_?size|per_?page)$/, between(10, 100)],
  [/(^|_)(width|height)$/, between(100, 2000)],
  [/(^|_)weight$/, between(1, 100, 1)],
  [/(^|_)(duration|timeout|ttl|seconds)$/, between(1, 3600)],
  [/(^|_)(timestamp|epoch|time)$|_at$/, (f) => Math.floor(f.date.recent({ days: 30 }).getTime() / 1000)],
  [/(^|_)id$/, between(1, 100_000)],
];

const NUMBER_BY_DESCRIPTION: ReadonlyArray<readonly [RegExp, NumberMaker]> = [
  [/\bpercent(age)?\b|%/, between(0, 100)],
  [/\brating\b|\bstars?\b/, between(1, 5)],
  [/\b(price|cost|amount)\b/, between(1, 1000, 2)],
  [/\bage\b/, between(18, 90)],
  [/\byear\b/, between(1990, 2030)],
  [/\b(unix|epoch) ?(time|timestamp)?\b/, (f) => Math.floor(f.date.recent({ days: 30 }).getTime() / 1000)],
];

/** The maker for a numeric property, or undefined when its name says nothing. */
export function numberMaker(hint: NameHint): NumberMaker | undefined {
  const key = tokensOf(hint.name ?? '').join('_');
  const byName = key === '' ? undefined : NUMBER_BY_NAME.find(([re]) => re.test(key))?.[1];
  if (byName !== undefined || !hint.intelligence) return byName;
  const text = hint.description?.toLowerCase();
  return text === undefined ? undefined : NUMBER_BY_DESCRIPTION.find(([re]) => re.test(text))?.[1];
}

const capitalize = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1);
