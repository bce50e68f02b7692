/**
 * The S/MIME e-mail channel ({@code smime:local@domain}). Entry point:
 * {@link de.amtsbote.adapter.smime.SmimeAdapterProvider}. (Documentation to follow.)
 */
package de.amtsbote.adapter.smime;
